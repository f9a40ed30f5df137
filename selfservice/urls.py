from django.urls import path

from . import views

app_name = "selfservice"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("my/", views.my_purchases, name="my_purchases"),
]
