"""Configuration checks: `manage.py check --deploy` fails on development-only settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_secrets(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(
            Error(
                "DJANGO_SECRET_KEY is not set; the development key must never run in production.",
                id="seatwise.E001",
            )
        )
    if settings.STRIPE_SECRET_KEY.endswith("_localstripe"):
        errors.append(
            Error(
                "STRIPE_SECRET_KEY is the localstripe placeholder; set the live or test key.",
                id="seatwise.E002",
            )
        )
    return errors
