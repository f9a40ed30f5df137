from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
