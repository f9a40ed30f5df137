"""The demo world for tests: SPEC §9 built through the same code as `manage.py seed_demo`."""

from __future__ import annotations

from dataclasses import dataclass

from purchases.demo import seed_catalog
from purchases.models import Product
from tenants.demo import DEMO_PASSWORD, seed_organizations
from tenants.models import Membership, Tenant, User


@dataclass
class DemoWorld:
    password: str = DEMO_PASSWORD

    @classmethod
    def build(cls) -> DemoWorld:
        seed_organizations()
        seed_catalog()
        return cls()

    def product(self, slug: str) -> Product:
        return Product.objects.get(slug=slug)

    def tenant(self, slug: str) -> Tenant:
        return Tenant.objects.get(slug=slug)

    def user(self, login: str) -> User:
        email = login if "@" in login else self._email(login)
        return User.objects.get(email=email)

    def membership(self, login: str, tenant_slug: str | None = None) -> Membership:
        user = self.user(login)
        memberships = Membership.objects.filter(user=user).select_related("tenant")
        if tenant_slug:
            memberships = memberships.filter(tenant__slug=tenant_slug)
        return memberships.get()

    @staticmethod
    def _email(login: str) -> str:
        from tenants.demo import DEMO_TENANTS

        for _slug, (_name, _kind, _country, _currency, domain, people) in DEMO_TENANTS.items():
            for person in people:
                if person[0] == login:
                    return f"{login}@{domain}"
        if login == "support":
            return "support@seatwise.example"
        raise KeyError(login)
