from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/act/", views.act, name="act"),
    path("subscriptions/<int:pk>/", views.subscription_detail, name="subscription"),
]
