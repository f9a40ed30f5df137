from django.contrib import admin
from django.urls import include, path

from tenants import views as tenant_views

from .health import healthz

admin.site.site_header = "Seatwise operations"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("start/", tenant_views.start, name="start"),
    path("", include("tenants.urls")),
    path("", include("selfservice.urls")),
    path("", include("purchases.urls")),
    path("support/", include("support.urls")),
    path("api/v1/", include("selfservice.api_urls")),
]
