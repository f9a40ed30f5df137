"""Reads about organizations and people: tenant-scoped and free of N+1 queries."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Domain, Membership, Tenant


def search_text(raw: str | None, *, max_length: int = 100) -> str:
    """A search box's text, safe to put in a query: trimmed, bounded, without NUL characters."""
    return (raw or "").replace("\x00", "").strip()[:max_length]


def email_domain(email: str) -> str:
    return email.strip().rsplit("@", 1)[-1].lower() if "@" in email else ""


def tenant_for_email(email: str) -> Tenant | None:
    """The tenant whose *verified* domain matches the email's domain, or None."""
    domain = email_domain(email)
    if not domain:
        return None
    match = Domain.objects.verified().filter(name=domain).select_related("tenant").first()
    return match.tenant if match else None


def accounts_for_tenant(tenant: Tenant, *, search: str = "") -> QuerySet[Membership]:
    """Every account of the tenant (members and guests), people first by name."""
    accounts = Membership.objects.for_tenant(tenant).select_related("user").order_by("user__full_name", "user__email")
    if search:
        accounts = accounts.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return accounts


def admins_of(tenant: Tenant) -> QuerySet[Membership]:
    """Enabled global and billing admins: the people told about purchases in their tenant."""
    return Membership.objects.for_tenant(tenant).admins().select_related("user")
