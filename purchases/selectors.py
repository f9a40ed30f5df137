"""Reads for subscriptions, licenses and invoices: scoped to a tenant (or a buyer), N+1-free."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tenants.models import Membership, Tenant

from .models import Invoice, LicenseAssignment, OrderEvent, Subscription


def subscriptions_of_buyer(membership: Membership) -> QuerySet[Subscription]:
    """The buyer's own self-service subscriptions, newest first: all the buyer view ever shows."""
    return Subscription.objects.bought_by(membership).select_related("product").order_by("-created_at", "-id")


def subscriptions_of_tenant(tenant: Tenant) -> QuerySet[Subscription]:
    """Every subscription of the tenant, any channel, newest first, with its product and buyer joined in."""
    return Subscription.objects.for_tenant(tenant).select_related("product", "buyer__user")


def licenses_of(subscription: Subscription) -> QuerySet[LicenseAssignment]:
    return (
        LicenseAssignment.objects.filter(subscription=subscription)
        .select_related("membership__user")
        .order_by("membership__user__full_name", "membership__user__email")
    )


def invoices_of(subscription: Subscription) -> QuerySet[Invoice]:
    return Invoice.objects.filter(subscription=subscription).order_by("-issued_at", "-id")


def history_of(subscription: Subscription) -> QuerySet[OrderEvent]:
    return OrderEvent.objects.filter(subscription=subscription).order_by("-created_at", "-id")


def invoices_of_buyer(membership: Membership) -> QuerySet[Invoice]:
    return (
        Invoice.objects.for_tenant(membership.tenant)
        .filter(subscription__buyer=membership, subscription__channel="self_service")
        .select_related("subscription__product")
    )


def assignable_people(subscription: Subscription, *, search: str = "", limit: int = 20) -> QuerySet[Membership]:
    """Enabled members of the subscription's tenant without a license of its product, for the assign dialog."""
    licensed = LicenseAssignment.objects.filter(product_id=subscription.product_id).values("membership_id")
    people = (
        Membership.objects.for_tenant(subscription.tenant)
        .members()
        .exclude(pk__in=licensed)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    if search:
        people = people.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return people[:limit]


def tenant_overview(tenant: Tenant) -> dict[str, int]:
    """Counts for the admin center's home page, in three queries."""
    from selfservice.models import LicenseRequest
    from support.models import CancellationRequest

    counts = (
        Subscription.objects.for_tenant(tenant)
        .licenses_work()
        .aggregate(
            self_service=Count("id", filter=Q(channel="self_service")),
            central=Count("id", filter=~Q(channel="self_service")),
            buyers=Count("buyer", distinct=True, filter=Q(channel="self_service")),
        )
    )
    counts["pending_license_requests"] = LicenseRequest.objects.for_tenant(tenant).pending().count()
    counts["open_cancellation_requests"] = CancellationRequest.objects.for_tenant(tenant).open().count()
    return counts
