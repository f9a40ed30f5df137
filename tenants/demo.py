"""The demo organizations and people of SPEC §9, created through the services."""

from __future__ import annotations

from .models import Membership, Tenant, User
from .services import create_tenant, grant_delegated_admin, provision_account

DEMO_PASSWORD = "demo-pass-2026"
SUPPORT_EMAIL = "support@seatwise.example"

M, G = Membership.Kind.MEMBER, Membership.Kind.GUEST

# slug: (name, kind, country, currency, domain, people)
# person: (local part or full email, full name, kind, source, enabled, global admin, billing admin)
DEMO_TENANTS = {
    "contoso": (
        "Contoso",
        Tenant.Kind.COMMERCIAL,
        "US",
        "USD",
        "contoso.example",
        [
            ("alex", "Alex Wilber", M, "cloud", True, False, False),
            ("gina", "Gina Torres", M, "cloud", True, True, False),
            ("bill", "Bill Nguyen", M, "cloud", True, False, True),
            ("sam", "Sam Carter", M, "synced", True, False, False),
            ("dora", "Dora Keller", M, "cloud", False, False, False),
            ("guest@fabrikam.example", "Gabi Fischer", G, "cloud", True, False, False),
        ],
    ),
    "fabrikam": (
        "Fabrikam",
        Tenant.Kind.COMMERCIAL,
        "DE",
        "EUR",
        "fabrikam.example",
        [
            ("jonas", "Jonas Becker", M, "cloud", True, False, False),
            ("greta", "Greta Schmidt", M, "cloud", True, True, False),
        ],
    ),
    "nordvind": (
        "Nordvind",
        Tenant.Kind.COMMERCIAL,
        "NO",
        "NOK",
        "nordvind.example",
        [
            ("ola", "Ola Nordmann", M, "cloud", True, False, False),
            ("kari", "Kari Hansen", M, "cloud", True, False, True),
        ],
    ),
    "tailspin": (
        "Tailspin School",
        Tenant.Kind.EDUCATION,
        "US",
        "USD",
        "tailspin.example",
        [
            ("teo", "Teo Ramirez", M, "cloud", True, False, False),
        ],
    ),
    "springfield": (
        "Springfield City",
        Tenant.Kind.GOVERNMENT,
        "US",
        "USD",
        "springfield.example",
        [
            ("gus", "Gus Porter", M, "cloud", True, False, False),
        ],
    ),
    "brasil": (
        "Brasil Ltda",
        Tenant.Kind.COMMERCIAL,
        "BR",
        "BRL",
        "brasil.example",
        [
            ("ana", "Ana Souza", M, "cloud", True, False, False),
        ],
    ),
    "bharat": (
        "Bharat Traders",
        Tenant.Kind.COMMERCIAL,
        "IN",
        "INR",
        "bharat.example",
        [
            ("ravi", "Ravi Kumar", M, "cloud", True, False, False),
        ],
    ),
    "adatum": (
        "Adatum Partners",
        Tenant.Kind.PARTNER,
        "US",
        "USD",
        "adatum.example",
        [
            ("pat", "Pat Lee", M, "cloud", True, True, False),
        ],
    ),
}


def seed_organizations() -> None:
    tenants = {}
    for slug, (name, kind, country, currency, domain, people) in DEMO_TENANTS.items():
        tenant = create_tenant(name=name, slug=slug, kind=kind, country=country, currency=currency, domains=[domain])
        tenants[slug] = tenant
        for login, full_name, member_kind, source, enabled, global_admin, billing_admin in people:
            provision_account(
                tenant=tenant,
                email=login if "@" in login else f"{login}@{domain}",
                full_name=full_name,
                password=DEMO_PASSWORD,
                kind=member_kind,
                source=source,
                enabled=enabled,
                is_global_admin=global_admin,
                is_billing_admin=billing_admin,
            )
    grant_delegated_admin(partner=tenants["adatum"], customer=tenants["contoso"])
    if not User.objects.filter(email=SUPPORT_EMAIL).exists():
        User.objects.create_user(
            email=SUPPORT_EMAIL, password=DEMO_PASSWORD, full_name="Seatwise Support", is_support_agent=True
        )


def demo_sign_ins() -> list[tuple[str, str]]:
    """(email, what they are) for the sign-in table printed by `make run`."""
    rows = []
    for _slug, (name, _kind, _country, _currency, domain, people) in DEMO_TENANTS.items():
        for login, _full_name, member_kind, _source, enabled, global_admin, billing_admin in people:
            email = login if "@" in login else f"{login}@{domain}"
            role = "global admin" if global_admin else "billing admin" if billing_admin else str(member_kind)
            if name == "Adatum Partners":
                role = "partner admin (delegated admin of Contoso)"
            if not enabled:
                role += ", disabled"
            rows.append((email, f"{name}: {role}"))
    rows.append((SUPPORT_EMAIL, "Seatwise vendor support agent"))
    return rows
