from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("policies/<str:policy_id>/products/", api.product_policies, name="product_policies"),
    path("policies/<str:policy_id>/products/<slug:slug>/", api.product_policy, name="product_policy"),
]
