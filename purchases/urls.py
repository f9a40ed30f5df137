app_name = "purchases"

urlpatterns: list = []
