"""Reads for vendor support staff: across tenants, by design (no tenant scope applies to them)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tenants.models import Tenant


def search_tenants(query: str, *, limit: int = 25) -> QuerySet[Tenant]:
    """Tenants whose name, slug or any domain contains the query."""
    return (
        Tenant.objects.filter(Q(name__icontains=query) | Q(slug__icontains=query) | Q(domains__name__icontains=query))
        .distinct()
        .annotate(account_count=Count("memberships", distinct=True))
        .prefetch_related("domains")
        .order_by("name")[:limit]
    )
