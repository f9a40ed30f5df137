from django.urls import path

from . import admin_views

app_name = "purchases"

urlpatterns = [
    path("admin-center/billing/products/", admin_views.your_products, name="products"),
    path("admin-center/billing/subscriptions/<int:pk>/", admin_views.subscription_detail, name="subscription"),
]
