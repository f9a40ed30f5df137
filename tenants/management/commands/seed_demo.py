"""Load the demo data of SPEC §9. Safe to run again: it only adds what is missing.

The demo purchase pays with Stripe's test card, so the gateway (localstripe) must answer.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from purchases.demo import seed_catalog, seed_purchases
from purchases.gateway import GatewayError
from tenants.demo import DEMO_PASSWORD, demo_sign_ins, seed_organizations


class Command(BaseCommand):
    help = "Create the demo organizations, people, catalog and purchases (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, quiet_logins=False, **options):
        with transaction.atomic():
            seed_organizations()
            seed_catalog()
        try:
            seed_purchases()
        except GatewayError as error:
            raise CommandError(f"The demo purchase needs the payment gateway (localstripe): {error.message}") from None
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if not quiet_logins:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
            for email, role in demo_sign_ins():
                self.stdout.write(f"  {email:<28} {role}")
