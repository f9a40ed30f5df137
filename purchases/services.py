"""Every write that matters for subscriptions, licenses and billing: one function per business action."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Membership, User

from . import gateway
from .errors import AlreadyLicensed, InvalidSeats, NotAssignable, PurchaseError, SeatLimitReached, SubscriptionClosed
from .models import (
    BillingAccount,
    BillingPeriod,
    Channel,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    LicenseAssignment,
    OrderEvent,
    Payment,
    PaymentMethod,
    Price,
    Product,
    Subscription,
)
from .money import Money

logger = logging.getLogger(__name__)

MAX_SEATS = 1000


def validate_seats(seats: int | None, *, maximum: int = MAX_SEATS) -> int:
    """Seats are a whole number from 1 up to the limit; anything else is a clear refusal."""
    if seats is None or isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= maximum:
        raise InvalidSeats(
            _("Choose between 1 and %(maximum)s licenses.") % {"maximum": f"{maximum:,}"},
        )
    return seats


def term_end(start: dt.datetime, billing_period: str) -> dt.datetime:
    return start + BillingPeriod(billing_period).term


def actor_label(user: User | None) -> str:
    return user.email if user else "Seatwise"


def record_event(
    *,
    subscription: Subscription,
    kind: str,
    actor: User | None,
    seats: int | None = None,
    amount: Money | None = None,
    note: str = "",
    on_behalf_of: str = "",
) -> OrderEvent:
    """Append one line to the subscription's order history."""
    return OrderEvent.objects.create(
        tenant_id=subscription.tenant_id,
        subscription=subscription,
        kind=kind,
        actor=actor,
        actor_label=actor_label(actor),
        on_behalf_of=on_behalf_of,
        seats=seats,
        amount_minor=amount.amount if amount else None,
        currency=amount.currency if amount else "",
        note=note,
    )


# Billing accounts and cards --------------------------------------------------------------------


def billing_account_for(membership: Membership) -> BillingAccount:
    account, _created = BillingAccount.objects.get_or_create(
        membership=membership, defaults={"tenant_id": membership.tenant_id}
    )
    return account


def organization_account(tenant) -> BillingAccount:
    account, _created = BillingAccount.objects.get_or_create(tenant=tenant, membership=None)
    return account


@transaction.atomic
def ensure_gateway_customer(account: BillingAccount) -> str:
    """The buyer's customer at the gateway, created once (the row lock keeps it to one)."""
    account = (
        BillingAccount.objects.select_for_update(of=("self",))
        .select_related("membership__user", "tenant")
        .get(pk=account.pk)
    )
    if not account.gateway_customer_id:
        user = account.membership.user
        account.gateway_customer_id = gateway.create_customer(
            email=user.email, name=user.get_full_name(), tenant_name=account.tenant.name
        )
        account.save(update_fields=["gateway_customer_id"])
    return account.gateway_customer_id


def save_card(*, account: BillingAccount, card: gateway.CardDetails) -> PaymentMethod:
    """Make this card the account's default; an earlier default stays on file until detached."""
    existing = PaymentMethod.objects.filter(gateway_payment_method_id=card.payment_method_id).first()
    if existing is not None:
        if existing.account_id != account.pk:
            raise gateway.GatewayError(_("This card belongs to another billing account."))
        return existing
    account.payment_methods.filter(is_default=True).update(is_default=False)
    return PaymentMethod.objects.create(
        account=account,
        gateway_payment_method_id=card.payment_method_id,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        is_default=True,
    )


# Invoices -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSpec:
    description: str
    quantity: int
    unit_amount_minor: int
    amount_minor: int
    period_start: dt.datetime
    period_end: dt.datetime


def next_invoice_number(issued_at: dt.datetime) -> str:
    """SW-<year>-<000001>: the series row is locked, so numbers are consecutive and never reused.

    Must run inside the transaction that saves the invoice: a rollback gives the number back.
    """
    series = str(issued_at.year)
    InvoiceSequence.objects.get_or_create(series=series)
    sequence = InvoiceSequence.objects.select_for_update().get(series=series)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"SW-{series}-{sequence.last_number:06d}"


def issue_invoice(
    *,
    subscription: Subscription,
    account: BillingAccount,
    kind: str,
    lines: list[LineSpec],
    by_card: bool,
    issued_at: dt.datetime,
    due_days: int = 0,
) -> Invoice:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Invoices are issued inside a transaction.")
    if account.membership_id:
        person = account.membership.user
        name, email = person.get_full_name(), person.email
    else:
        name, email = subscription.tenant.name, ""
    invoice = Invoice.objects.create(
        tenant_id=subscription.tenant_id,
        subscription=subscription,
        account=account,
        number=next_invoice_number(issued_at),
        kind=kind,
        currency=subscription.currency,
        total_minor=sum(line.amount_minor for line in lines),
        bill_to_name=name,
        bill_to_email=email,
        bill_to_organization=subscription.tenant.name,
        by_card=by_card,
        issued_at=issued_at,
        due_at=issued_at + dt.timedelta(days=due_days),
        period_start=min(line.period_start for line in lines),
        period_end=max(line.period_end for line in lines),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, position=position, **line.__dict__) for position, line in enumerate(lines, 1)
    )
    return invoice


def term_line(subscription: Subscription, *, seats: int, start: dt.datetime, end: dt.datetime) -> LineSpec:
    period = subscription.get_billing_period_display().lower()
    return LineSpec(
        description=_("%(product)s, %(seats)s × %(period)s subscription")
        % {"product": subscription.product.name, "seats": seats, "period": period},
        quantity=seats,
        unit_amount_minor=subscription.unit_price_minor,
        amount_minor=seats * subscription.unit_price_minor,
        period_start=start,
        period_end=end,
    )


def mark_invoice_paid(
    *,
    invoice: Invoice,
    charge: gateway.ChargeResult,
    payment_method: PaymentMethod | None,
    idempotency_key: str,
    off_session: bool,
    actor: User | None,
) -> Payment:
    attempt = invoice.payments.count() + 1
    payment = Payment.objects.create(
        tenant_id=invoice.tenant_id,
        invoice=invoice,
        attempt=attempt,
        idempotency_key=idempotency_key,
        gateway_payment_id=charge.payment_intent_id,
        payment_method=payment_method,
        amount_minor=invoice.total_minor,
        currency=invoice.currency,
        status=Payment.Status.SUCCEEDED,
        off_session=off_session,
    )
    invoice.status = Invoice.Status.PAID
    invoice.paid_at = timezone.now()
    invoice.save(update_fields=["status", "paid_at"])
    record_event(
        subscription=invoice.subscription,
        kind=OrderEvent.Kind.PAYMENT_SUCCEEDED,
        actor=actor,
        amount=invoice.total,
        note=invoice.number,
    )
    return payment


# Purchases ------------------------------------------------------------------------------------


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
    now = timezone.now()
    subscription = Subscription.objects.create(
        tenant_id=buyer.tenant_id,
        product=product,
        channel=Channel.SELF_SERVICE,
        buyer=buyer,
        created_by=actor,
        billing_period=billing_period,
        seats=seats,
        unit_price_minor=unit_price_minor,
        currency=currency,
        status=Subscription.Status.ACTIVE,
        term_start=now,
        term_end=term_end(now, billing_period),
    )
    record_event(
        subscription=subscription,
        kind=OrderEvent.Kind.PURCHASED,
        actor=actor,
        seats=seats,
        amount=subscription.price_per_term,
    )
    invoice = issue_invoice(
        subscription=subscription,
        account=payment_method.account,
        kind=Invoice.Kind.PURCHASE,
        lines=[term_line(subscription, seats=seats, start=now, end=subscription.term_end)],
        by_card=True,
        issued_at=now,
    )
    mark_invoice_paid(
        invoice=invoice,
        charge=charge,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
        off_session=False,
        actor=actor,
    )
    assign_license(subscription=subscription, membership=buyer, actor=actor)
    subscription.refresh_from_db(fields=["seats_assigned"])
    _after_commit_notify_purchase(subscription)
    return subscription


@transaction.atomic
def start_trial_subscription(
    *, buyer: Membership, product: Product, seats: int, unit_price_minor: int, currency: str, actor: User
) -> Subscription:
    """A free trial: no card, no invoice; it ends at its term end unless converted."""
    validate_seats(seats, maximum=product.trial_seats)
    trial_used = OrderEvent.objects.filter(
        subscription__buyer=buyer, subscription__product=product, kind=OrderEvent.Kind.TRIAL_STARTED
    )
    if trial_used.exists():
        raise PurchaseError(
            _("You have already used the free trial of %(product)s.") % {"product": product.name}, code="trial_used"
        )
    now = timezone.now()
    subscription = Subscription.objects.create(
        tenant_id=buyer.tenant_id,
        product=product,
        channel=Channel.SELF_SERVICE,
        buyer=buyer,
        created_by=actor,
        billing_period=BillingPeriod.MONTHLY,
        seats=seats,
        unit_price_minor=unit_price_minor,
        currency=currency,
        status=Subscription.Status.TRIAL,
        term_start=now,
        term_end=now + dt.timedelta(days=product.trial_days),
        auto_renew=False,
    )
    record_event(subscription=subscription, kind=OrderEvent.Kind.TRIAL_STARTED, actor=actor, seats=seats)
    assign_license(subscription=subscription, membership=buyer, actor=actor)
    subscription.refresh_from_db(fields=["seats_assigned"])
    _after_commit_notify_purchase(subscription)
    return subscription


def _after_commit_notify_purchase(subscription: Subscription) -> None:
    from .tasks import notify_new_purchase

    transaction.on_commit(lambda: notify_new_purchase.delay(subscription.pk))


# Licenses -------------------------------------------------------------------------------------


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


@transaction.atomic
def purchase_central_subscription(
    *, tenant, product: Product, seats: int, billing_period: str, actor: User, channel: str = Channel.CENTRAL
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
    now = timezone.now()
    subscription = Subscription.objects.create(
        tenant=tenant,
        product=product,
        channel=channel,
        created_by=actor,
        billing_period=billing_period,
        seats=seats,
        unit_price_minor=price.amount_minor,
        currency=price.currency,
        status=Subscription.Status.ACTIVE,
        term_start=now,
        term_end=term_end(now, billing_period),
    )
    record_event(
        subscription=subscription,
        kind=OrderEvent.Kind.PURCHASED,
        actor=actor,
        seats=seats,
        amount=subscription.price_per_term,
    )
    issue_invoice(
        subscription=subscription,
        account=organization_account(tenant),
        kind=Invoice.Kind.PURCHASE,
        lines=[term_line(subscription, seats=seats, start=now, end=subscription.term_end)],
        by_card=False,
        issued_at=now,
        due_days=30,
    )
    return subscription
