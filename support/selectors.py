"""Reads for vendor support staff: across tenants, by design (no tenant scope applies to them)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from purchases.models import Subscription
from tenants.models import Tenant

from .models import CancellationRequest


def search_tenants(query: str, *, limit: int = 25) -> QuerySet[Tenant]:
    """Tenants whose name, slug or any domain contains the query."""
    return (
        Tenant.objects.filter(Q(name__icontains=query) | Q(slug__icontains=query) | Q(domains__name__icontains=query))
        .distinct()
        .annotate(account_count=Count("memberships", distinct=True))
        .prefetch_related("domains")
        .order_by("name")[:limit]
    )


def cancellation_queue(status: str = "open") -> QuerySet[CancellationRequest]:
    """The support queue, oldest first so nothing waits long: open (new and in progress) by default."""
    requests = CancellationRequest.objects.select_related(
        "tenant", "subscription__product", "subscription__buyer__user", "handled_by"
    )
    if status == "open":
        requests = requests.open()
    elif status in CancellationRequest.Status.values:
        requests = requests.filter(status=status)
    return requests.order_by("created_at", "id")


def search_subscriptions(query: str, *, limit: int = 25) -> QuerySet[Subscription]:
    """Subscriptions by id, or by their buyer's email or name, across tenants."""
    subscriptions = Subscription.objects.select_related("tenant", "product", "buyer__user")
    match = Q(buyer__user__email__iexact=query) | Q(buyer__user__full_name__icontains=query)
    if query.isdecimal() and len(query) < 16:  # a subscription number; longer would overflow the column
        match |= Q(pk=int(query))
    return subscriptions.filter(match).order_by("-created_at")[:limit]
