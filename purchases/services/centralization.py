"""Centralizing: the organization takes over self-service purchases.

An admin buys a central subscription of the same product (central price, or the partner price
for a delegated partner, invoiced to the organization), moves the licenses of one or more
self-service subscriptions onto it in one atomic step, and asks each buyer to cancel theirs.
Admins never cancel a buyer's subscription themselves.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from purchases.errors import PurchaseError
from purchases.models import Channel, OrderEvent, Subscription
from tenants.models import User
from tenants.scoping import TenantAccess

from .common import record_event
from .licenses import move_licenses
from .purchases import purchase_central_subscription


def central_channel(access: TenantAccess) -> str:
    """Delegated partners buy at partner prices; the organization's own admins at central prices."""
    return Channel.PARTNER if access.is_partner_admin else Channel.CENTRAL


def actor_role(access: TenantAccess) -> str:
    if access.is_partner_admin:
        return _("partner admin (%(partner)s)") % {"partner": access.relationship.partner.name}
    return _("global admin") if access.is_global_admin else _("billing admin")


@transaction.atomic
def centralize(
    *,
    access: TenantAccess,
    actor: User,
    subscriptions: list[Subscription],
    billing_period: str,
    seats: int | None = None,
    message: str = "",
) -> Subscription:
    """Buy the central subscription and move every license onto it; all or nothing."""
    if not subscriptions:
        raise PurchaseError(_("Choose at least one self-service subscription to centralize."))
    ids = [s.pk for s in subscriptions]
    locked = list(
        Subscription.objects.for_tenant(access.tenant)
        .select_for_update(of=("self",))
        .select_related("product", "buyer__user")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(set(ids)):
        raise PurchaseError(_("Those subscriptions are not all in your organization."))
    products = {s.product_id for s in locked}
    if len(products) != 1:
        raise PurchaseError(_("Centralize subscriptions of one product at a time."))
    for subscription in locked:
        if not subscription.is_self_service or not subscription.licenses_work:
            raise PurchaseError(
                _("Only running self-service subscriptions can be centralized (%(product)s of %(buyer)s is not).")
                % {"product": subscription.product.name, "buyer": subscription.buyer or "—"}
            )
    to_move = sum(s.seats_assigned for s in locked)
    seats = seats or max(1, to_move)
    if seats < to_move:
        raise PurchaseError(
            _("The central subscription needs at least %(count)s seats for the people being moved.")
            % {"count": to_move}
        )
    product = locked[0].product
    central = purchase_central_subscription(
        tenant=access.tenant,
        product=product,
        seats=seats,
        billing_period=billing_period,
        actor=actor,
        channel=central_channel(access),
    )
    for subscription in locked:
        moved = move_licenses(source=subscription, target=central)
        subscription.centralized_into = central
        subscription.save(update_fields=["centralized_into"])
        note = _("%(count)s users moved to the central subscription #%(id)s") % {"count": moved, "id": central.pk}
        record_event(subscription=subscription, kind=OrderEvent.Kind.CENTRALIZED, actor=actor, seats=moved, note=note)
        record_event(
            subscription=central,
            kind=OrderEvent.Kind.CENTRALIZED,
            actor=actor,
            seats=moved,
            note=_("%(count)s users moved from %(buyer)s's self-service subscription")
            % {"count": moved, "buyer": subscription.buyer.user.get_full_name()},
        )
        ask_buyer_to_cancel(subscription=subscription, actor=actor, central=central, message=message)
    central.refresh_from_db()
    return central


def ask_buyer_to_cancel(*, subscription: Subscription, actor: User, central: Subscription, message: str = "") -> None:
    text = message.strip() or _(
        "Your organization now provides %(product)s centrally and has moved its users there. "
        "Please cancel your self-service subscription so you are no longer charged."
    ) % {"product": subscription.product.name}
    message_buyer(subscription=subscription, actor=actor, message=text)


def message_buyer(*, subscription: Subscription, actor: User, message: str) -> None:
    """Email and in-app notice to the buyer, recorded in the order history."""
    from purchases.tasks import deliver_buyer_message

    if not subscription.is_self_service:
        raise PurchaseError(_("Only self-service subscriptions have a buyer to message."))
    message = message.strip()
    if not message:
        raise PurchaseError(_("Write a message for the buyer."))
    event = record_event(subscription=subscription, kind=OrderEvent.Kind.MESSAGE_SENT, actor=actor, note=message[:2000])
    link = reverse("selfservice:my_subscription", args=[subscription.pk])
    transaction.on_commit(lambda: deliver_buyer_message.delay(event.pk, link))
