"""Buying: self-service purchases paid by card, free trials, and central purchases by the organization."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases import gateway
from purchases.errors import PurchaseError
from purchases.models import (
    BillingAccount,
    BillingPeriod,
    Channel,
    Invoice,
    OrderEvent,
    PaymentMethod,
    Price,
    Product,
    Subscription,
)
from tenants.models import Membership, Tenant, User

from .billing import issue_invoice, mark_invoice_paid, organization_account, term_line
from .common import record_event, term_end, validate_seats
from .licenses import assign_license, license_held, move_licenses


def _open_subscription(
    *,
    tenant_id: int,
    product: Product,
    channel: str,
    buyer: Membership | None,
    actor: User,
    billing_period: str,
    seats: int,
    unit_price_minor: int,
    currency: str,
    trial_days: int = 0,
) -> Subscription:
    """Create the subscription for its first term and write the first line of its history."""
    now = timezone.now()
    trial = trial_days > 0
    subscription = Subscription.objects.create(
        tenant_id=tenant_id,
        product=product,
        channel=channel,
        buyer=buyer,
        created_by=actor,
        billing_period=billing_period,
        seats=seats,
        unit_price_minor=unit_price_minor,
        currency=currency,
        status=Subscription.Status.TRIAL if trial else Subscription.Status.ACTIVE,
        term_start=now,
        term_end=now + dt.timedelta(days=trial_days) if trial else term_end(now, billing_period),
        auto_renew=not trial,
    )
    if trial:
        record_event(subscription=subscription, kind=OrderEvent.Kind.TRIAL_STARTED, actor=actor, seats=seats)
    else:
        record_event(
            subscription=subscription,
            kind=OrderEvent.Kind.PURCHASED,
            actor=actor,
            seats=seats,
            amount=subscription.price_per_term,
        )
    return subscription


def _first_invoice(subscription: Subscription, *, account: BillingAccount, by_card: bool) -> Invoice:
    return issue_invoice(
        subscription=subscription,
        account=account,
        kind=Invoice.Kind.PURCHASE,
        lines=[
            term_line(subscription, seats=subscription.seats, start=subscription.term_start, end=subscription.term_end)
        ],
        by_card=by_card,
        issued_at=subscription.term_start,
        due_days=0 if by_card else 30,
    )


def own_trial(membership: Membership, product: Product) -> Subscription | None:
    """The buyer's running free trial of this product, which a purchase converts."""
    return Subscription.objects.filter(buyer=membership, product=product, status=Subscription.Status.TRIAL).first()


def check_trial_fits(*, membership: Membership, product: Product, seats: int) -> None:
    """Buying converts the buyer's trial: everyone licensed in it must fit into the seats bought."""
    trial = own_trial(membership, product)
    if trial is not None and trial.seats_assigned > seats:
        raise PurchaseError(
            _(
                "Your free trial of %(product)s has %(count)s licenses assigned. Buy at least %(count)s "
                "licenses, or unassign some in the trial first."
            )
            % {"product": product.name, "count": trial.seats_assigned},
            code="trial_does_not_fit",
        )


def convert_trial(*, trial: Subscription, into: Subscription, actor: User) -> None:
    """End the trial in favour of the paid subscription, which takes over its licenses."""
    trial = Subscription.objects.select_for_update().get(pk=trial.pk)
    moved = move_licenses(source=trial, target=into)
    trial.status = Subscription.Status.CANCELLED
    trial.status_changed_at = timezone.now()
    trial.cancelled_at = trial.status_changed_at
    trial.save(update_fields=["status", "status_changed_at", "cancelled_at"])
    note = _("Converted into the paid subscription #%(id)s") % {"id": into.pk}
    record_event(subscription=trial, kind=OrderEvent.Kind.STATUS_CHANGED, actor=actor, seats=moved, note=note)


def _license_the_buyer(subscription: Subscription, actor: User) -> None:
    """The buyer takes a license, or brings theirs along from their trial; one held elsewhere is kept."""
    held = license_held(membership=subscription.buyer, product_id=subscription.product_id)
    if held is None:
        assign_license(subscription=subscription, membership=subscription.buyer, actor=actor)
    elif held.subscription.is_trial and held.subscription.buyer_id == subscription.buyer_id:
        convert_trial(trial=held.subscription, into=subscription, actor=actor)
    subscription.refresh_from_db(fields=["seats_assigned"])
    from purchases.tasks import notify_new_purchase

    transaction.on_commit(lambda: notify_new_purchase.delay(subscription.pk))


@transaction.atomic
def record_self_service_purchase(
    *,
    buyer: Membership,
    product: Product,
    seats: int,
    billing_period: str,
    unit_price_minor: int,
    currency: str,
    payment_method: PaymentMethod,
    charge: gateway.ChargeResult,
    idempotency_key: str,
    actor: User,
) -> Subscription:
    """A paid self-service purchase: subscription, paid first invoice, history, and the buyer's license."""
    subscription = _open_subscription(
        tenant_id=buyer.tenant_id,
        product=product,
        channel=Channel.SELF_SERVICE,
        buyer=buyer,
        actor=actor,
        billing_period=billing_period,
        seats=seats,
        unit_price_minor=unit_price_minor,
        currency=currency,
    )
    invoice = _first_invoice(subscription, account=payment_method.account, by_card=True)
    mark_invoice_paid(
        invoice=invoice,
        charge=charge,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
        off_session=False,
        actor=actor,
    )
    _license_the_buyer(subscription, actor)
    return subscription


@transaction.atomic
def start_trial_subscription(
    *, buyer: Membership, product: Product, seats: int, unit_price_minor: int, currency: str, actor: User
) -> Subscription:
    """A free trial: no card, no invoice; it ends at its term end unless converted. One per buyer and product."""
    validate_seats(seats, maximum=product.trial_seats)
    trial_used = OrderEvent.objects.filter(
        subscription__buyer=buyer, subscription__product=product, kind=OrderEvent.Kind.TRIAL_STARTED
    )
    if trial_used.exists():
        raise PurchaseError(
            _("You have already used the free trial of %(product)s.") % {"product": product.name}, code="trial_used"
        )
    if license_held(membership=buyer, product_id=product.pk) is not None:
        raise PurchaseError(
            _("You already have a license of %(product)s; there is nothing to try.") % {"product": product.name},
            code="already_licensed",
        )
    subscription = _open_subscription(
        tenant_id=buyer.tenant_id,
        product=product,
        channel=Channel.SELF_SERVICE,
        buyer=buyer,
        actor=actor,
        billing_period=BillingPeriod.MONTHLY,
        seats=seats,
        unit_price_minor=unit_price_minor,
        currency=currency,
        trial_days=product.trial_days,
    )
    _license_the_buyer(subscription, actor)
    return subscription


@transaction.atomic
def purchase_central_subscription(
    *, tenant: Tenant, product: Product, seats: int, billing_period: str, actor: User, channel: str = Channel.CENTRAL
) -> Subscription:
    """A subscription bought by the organization at the central (or partner) price, invoiced, no card."""
    if channel not in (Channel.CENTRAL, Channel.PARTNER):
        raise PurchaseError(_("Central purchases use the central or partner price."))
    validate_seats(seats, maximum=100_000)
    price = Price.objects.filter(
        product=product, channel=channel, currency=tenant.currency, billing_period=billing_period
    ).first()
    if price is None:
        raise PurchaseError(
            _("%(product)s has no %(channel)s price in %(currency)s.")
            % {"product": product.name, "channel": Channel(channel).label.lower(), "currency": tenant.currency}
        )
    subscription = _open_subscription(
        tenant_id=tenant.pk,
        product=product,
        channel=channel,
        buyer=None,
        actor=actor,
        billing_period=billing_period,
        seats=seats,
        unit_price_minor=price.amount_minor,
        currency=price.currency,
    )
    _first_invoice(subscription, account=organization_account(tenant), by_card=False)
    return subscription
