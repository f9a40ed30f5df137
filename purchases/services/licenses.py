"""Licenses: seats of a subscription handed to accounts of the same tenant."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from purchases.errors import AlreadyLicensed, NotAssignable, SeatLimitReached, SubscriptionClosed
from purchases.models import LicenseAssignment, OrderEvent, Subscription
from tenants.models import Membership, User

from .common import record_event


@transaction.atomic
def assign_license(*, subscription: Subscription, membership: Membership, actor: User | None) -> LicenseAssignment:
    """Give one seat to an enabled member of the same tenant; never more licenses than seats.

    The subscription row is locked while counting, and the database's check constraint on
    `seats_assigned <= seats` refuses an overflow even if a caller skipped this function.
    """
    subscription = (
        Subscription.objects.select_for_update(of=("self",)).select_related("product").get(pk=subscription.pk)
    )
    if membership.tenant_id != subscription.tenant_id:
        raise NotAssignable(_("Licenses can only go to people in your own organization."))
    if membership.is_guest:
        raise NotAssignable(_("%(email)s is a guest; licenses go to members only.") % {"email": membership.user.email})
    if not membership.enabled:
        raise NotAssignable(_("%(email)s's account is disabled.") % {"email": membership.user.email})
    if not subscription.licenses_work:
        raise SubscriptionClosed(_("This subscription no longer hands out licenses."))
    existing = (
        LicenseAssignment.objects.filter(product=subscription.product, membership=membership)
        .select_related("subscription")
        .first()
    )
    if existing is not None:
        if existing.subscription_id == subscription.pk:
            raise AlreadyLicensed(
                _("%(email)s already has a license from this subscription.") % {"email": membership.user.email}
            )
        raise AlreadyLicensed(
            _("%(email)s already has %(product)s from another subscription.")
            % {"email": membership.user.email, "product": subscription.product.name}
        )
    if subscription.seats_assigned >= subscription.seats:
        raise SeatLimitReached(
            _("All %(seats)s licenses are assigned. Buy more seats or unassign a license first.")
            % {"seats": subscription.seats}
        )
    if subscription.next_term_seats is not None and subscription.seats_assigned >= subscription.next_term_seats:
        # Assigned licenses must fit into the seats the buyer keeps for the next term.
        raise SeatLimitReached(
            _(
                "From the next term this subscription keeps %(seats)s licenses, and all are assigned. "
                "Keep more seats for the next term first."
            )
            % {"seats": subscription.next_term_seats}
        )
    try:
        with transaction.atomic():
            assignment = LicenseAssignment.objects.create(
                tenant_id=subscription.tenant_id,
                subscription=subscription,
                product=subscription.product,
                membership=membership,
                assigned_by=actor,
            )
            Subscription.objects.filter(pk=subscription.pk).update(seats_assigned=F("seats_assigned") + 1)
    except IntegrityError:
        raise AlreadyLicensed(
            _("%(email)s already has %(product)s.") % {"email": membership.user.email, "product": subscription.product}
        ) from None
    record_event(
        subscription=subscription, kind=OrderEvent.Kind.LICENSE_ASSIGNED, actor=actor, note=membership.user.email
    )
    return assignment


@transaction.atomic
def unassign_license(*, assignment: LicenseAssignment, actor: User | None) -> None:
    subscription = Subscription.objects.select_for_update().get(pk=assignment.subscription_id)
    deleted, _details = LicenseAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        Subscription.objects.filter(pk=subscription.pk).update(seats_assigned=F("seats_assigned") - 1)
        record_event(
            subscription=subscription,
            kind=OrderEvent.Kind.LICENSE_UNASSIGNED,
            actor=actor,
            note=assignment.membership.user.email,
        )


MAX_BULK_ASSIGN = 20


@transaction.atomic
def assign_licenses(
    *, subscription: Subscription, memberships: list[Membership], actor: User | None
) -> list[LicenseAssignment]:
    """Assign up to 20 licenses at once, all or none: the first refusal undoes the others."""
    if not memberships:
        raise NotAssignable(_("Choose at least one person."))
    if len(memberships) > MAX_BULK_ASSIGN:
        raise NotAssignable(_("Assign at most %(count)s licenses at a time.") % {"count": MAX_BULK_ASSIGN})
    return [assign_license(subscription=subscription, membership=m, actor=actor) for m in memberships]


def move_licenses(*, source: Subscription, target: Subscription) -> int:
    """Re-point every license of `source` to `target` (same product), keeping both seat counters true.

    The database's seats check refuses the move if `target` lacks the seats.
    """
    moved = LicenseAssignment.objects.filter(subscription=source).update(subscription=target)
    if moved:
        Subscription.objects.filter(pk=source.pk).update(seats_assigned=F("seats_assigned") - moved)
        Subscription.objects.filter(pk=target.pk).update(seats_assigned=F("seats_assigned") + moved)
    return moved


def license_held(*, membership: Membership, product_id: int) -> LicenseAssignment | None:
    """The license of this product the person already holds, from whichever subscription."""
    return (
        LicenseAssignment.objects.filter(product_id=product_id, membership=membership)
        .select_related("subscription")
        .first()
    )
