"""What a buyer changes on a running subscription: seats, the card, paying an invoice, cancelling."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases import gateway
from purchases.errors import InvalidSeats, PurchaseError, SubscriptionClosed
from purchases.models import (
    BillingAccount,
    Invoice,
    LicenseAssignment,
    OrderEvent,
    Payment,
    PaymentMethod,
    Refund,
    Subscription,
)
from purchases.money import Money
from tenants.models import User

from .billing import LineSpec, issue_invoice, mark_invoice_paid, record_payment_attempt, save_card
from .common import MAX_SEATS, record_event

REFUND_WINDOW = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)


# Proration -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatQuote:
    seats: int
    amount: Money
    days_left: int
    term_days: int


def term_days(subscription: Subscription) -> int:
    """Whole days in the current term (28–31 for a month, 365 or 366 for a year)."""
    return max(1, round((subscription.term_end - subscription.term_start) / DAY))


def quote_added_seats(subscription: Subscription, seats: int, *, at: dt.datetime | None = None) -> SeatQuote:
    """The prorated price of `seats` more licenses for the rest of the term.

    unit price × seats × days left / days in term, a started day counting as a whole day,
    rounded half up to the currency's minor unit. Trials add seats for free.
    """
    at = at or timezone.now()
    total_days = term_days(subscription)
    days_left = min(total_days, max(0, math.ceil((subscription.term_end - at) / DAY)))
    if subscription.is_trial:
        return SeatQuote(
            seats=seats, amount=Money.zero(subscription.currency), days_left=days_left, term_days=total_days
        )
    full = subscription.unit_price * seats
    return SeatQuote(
        seats=seats, amount=full.prorated(days_left, total_days), days_left=days_left, term_days=total_days
    )


def _card_on_file(account: BillingAccount) -> PaymentMethod:
    card = account.default_card
    if card is None:
        raise PurchaseError(_("Add a card first: there is no card on file."), code="no_card")
    return card


def _check_changeable(subscription: Subscription) -> None:
    if subscription.is_cancelled or not subscription.is_running:
        raise SubscriptionClosed(_("This subscription is cancelled or ended; it can no longer change."))
    if timezone.now() >= subscription.term_end:
        raise SubscriptionClosed(_("This term has ended; seats can change again once the subscription renews."))
    if subscription.status == Subscription.Status.PAST_DUE:
        raise SubscriptionClosed(_("Pay the open invoice first; then you can change the seats."))


# Seats -----------------------------------------------------------------------------------------


@transaction.atomic
def add_seats(*, subscription: Subscription, seats: int, actor: User, request_key: str) -> Subscription:
    """Buy more licenses now, charging the prorated amount to the saved card (once per request key)."""
    subscription = (
        Subscription.objects.select_for_update(of=("self",)).select_related("product", "buyer").get(pk=subscription.pk)
    )
    idempotency_key = f"seats-{subscription.pk}-{request_key}"
    if (
        Payment.objects.filter(idempotency_key=idempotency_key).exists()
        or subscription.events.filter(kind=OrderEvent.Kind.SEATS_ADDED, note=request_key).exists()
    ):
        return subscription  # the same form posted twice: already done
    _check_changeable(subscription)
    limit = subscription.product.trial_seats if subscription.is_trial else MAX_SEATS
    if not isinstance(seats, int) or seats < 1 or subscription.seats + seats > limit:
        raise InvalidSeats(
            _("You can add between 1 and %(most)s licenses to this subscription.")
            % {"most": max(0, limit - subscription.seats)}
        )
    now = timezone.now()
    quote = quote_added_seats(subscription, seats, at=now)
    if quote.amount.amount > 0:
        account = subscription.buyer.billing_account
        card = _card_on_file(account)
        charge = gateway.charge(
            customer_id=account.gateway_customer_id,
            payment_method_id=card.gateway_payment_method_id,
            amount=quote.amount,
            idempotency_key=idempotency_key,
            off_session=True,
            description=f"{subscription.product.name}: {seats} more",
            metadata={"subscription": str(subscription.pk)},
        )
        if not charge.succeeded:
            # A saved card that asks for 3-D Secure here cannot be confirmed off-session.
            raise gateway.PaymentDeclined(gateway.decline_message(charge.failure_code or "authentication_required"))
        invoice = issue_invoice(
            subscription=subscription,
            account=account,
            kind=Invoice.Kind.SEATS_ADDED,
            lines=[
                LineSpec(
                    description=_("%(product)s, %(seats)s more licenses for %(days)s of %(total)s days")
                    % {
                        "product": subscription.product.name,
                        "seats": seats,
                        "days": quote.days_left,
                        "total": quote.term_days,
                    },
                    quantity=seats,
                    unit_amount_minor=subscription.unit_price_minor,
                    amount_minor=quote.amount.amount,
                    period_start=now,
                    period_end=subscription.term_end,
                )
            ],
            by_card=True,
            issued_at=now,
        )
        mark_invoice_paid(
            invoice=invoice,
            charge=charge,
            payment_method=card,
            idempotency_key=idempotency_key,
            off_session=True,
            actor=actor,
        )
    subscription.seats += seats
    subscription.save(update_fields=["seats"])
    record_event(
        subscription=subscription,
        kind=OrderEvent.Kind.SEATS_ADDED,
        actor=actor,
        seats=seats,
        amount=quote.amount,
        note=request_key,
    )
    return subscription


@transaction.atomic
def reduce_seats_next_term(*, subscription: Subscription, seats: int, actor: User) -> Subscription:
    """From the next term on, pay for fewer seats; never fewer than are assigned."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _check_changeable(subscription)
    if subscription.is_trial:
        raise SubscriptionClosed(_("A trial has no next term; it ends unless you buy the product."))
    if not isinstance(seats, int) or seats < 1 or seats > subscription.seats:
        raise InvalidSeats(
            _("Choose between 1 and %(seats)s licenses; to get more, buy more seats.") % {"seats": subscription.seats}
        )
    if seats < subscription.seats_assigned:
        raise InvalidSeats(
            _("%(assigned)s licenses are assigned. Unassign some before reducing to %(seats)s.")
            % {"assigned": subscription.seats_assigned, "seats": seats}
        )
    subscription.next_term_seats = None if seats == subscription.seats else seats
    subscription.save(update_fields=["next_term_seats"])
    record_event(subscription=subscription, kind=OrderEvent.Kind.SEATS_REDUCED, actor=actor, seats=seats)
    return subscription


# Cancelling ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationTerms:
    refund: Money
    refundable_payments: tuple[Payment, ...]
    runs_until: dt.datetime
    ends_now: bool


class RefundRule(models.TextChoices):
    WINDOW = "window", _("Refund in full within 7 days of purchase or renewal")
    TERM = "term", _("Refund this term's payments in full")
    NONE = "none", _("No refund")


def cancellation_terms(
    subscription: Subscription, *, at: dt.datetime | None = None, rule: str = RefundRule.WINDOW
) -> CancellationTerms:
    """What cancelling now means: within 7 days of purchase or renewal (or whenever support grants
    it), every payment of this term comes back in full. The subscription keeps running to the end
    of its term (a trial ends now)."""
    at = at or timezone.now()
    payments: tuple[Payment, ...] = ()
    in_window = at <= subscription.term_start + REFUND_WINDOW
    if not subscription.is_trial and (rule == RefundRule.TERM or (rule == RefundRule.WINDOW and in_window)):
        payments = tuple(
            Payment.objects.filter(
                invoice__subscription=subscription,
                invoice__period_start__gte=subscription.term_start,
                status=Payment.Status.SUCCEEDED,
                invoice__refunded_minor=0,
            ).select_related("invoice")
        )
    refund = Money(sum(p.amount_minor for p in payments), subscription.currency)
    return CancellationTerms(
        refund=refund,
        refundable_payments=payments,
        runs_until=at if subscription.is_trial else subscription.term_end,
        ends_now=subscription.is_trial,
    )


def release_licenses(subscription: Subscription) -> int:
    """Free the seats of a subscription whose licenses stopped working (its holders may get others)."""
    released, _details = LicenseAssignment.objects.filter(subscription=subscription).delete()
    Subscription.objects.filter(pk=subscription.pk).update(seats_assigned=0)
    return released


@transaction.atomic
def cancel_subscription(
    *,
    subscription: Subscription,
    actor: User,
    reason: str = "",
    on_behalf_of: str = "",
    immediately: bool = False,
    refund: str = RefundRule.WINDOW,
) -> Subscription:
    """Stop renewal. By default the subscription runs to its term end, refunded in full when cancelled
    within 7 days of purchase or renewal. Support may end it immediately and decide the refund.
    Open cancellation requests for it are closed."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.is_cancelled or not subscription.is_running:
        raise SubscriptionClosed(_("This subscription is already cancelled or ended."))
    now = timezone.now()
    terms = cancellation_terms(subscription, at=now, rule=refund)
    refunded = _refund_payments(terms.refundable_payments, actor=actor, reason=reason)
    subscription.auto_renew = False
    subscription.cancelled_at = now
    fields = ["auto_renew", "cancelled_at"]
    if immediately or terms.ends_now:
        subscription.status = Subscription.Status.CANCELLED
        subscription.status_changed_at = now
        fields += ["status", "status_changed_at"]
    subscription.save(update_fields=fields)
    if subscription.status == Subscription.Status.CANCELLED:
        release_licenses(subscription)
    refunded_total = Money(sum(r.amount_minor for r in refunded), subscription.currency)
    record_event(
        subscription=subscription,
        kind=OrderEvent.Kind.CANCELLED,
        actor=actor,
        amount=refunded_total if refunded else None,
        note=reason,
        on_behalf_of=on_behalf_of,
    )
    _close_cancellation_requests(subscription, actor=actor, by_buyer=not on_behalf_of)
    return subscription


def _refund_payments(payments, *, actor: User, reason: str) -> list[Refund]:
    refunds = []
    for payment in payments:
        amount = Money(payment.amount_minor, payment.currency)
        refund_id = gateway.refund(
            payment_intent_id=payment.gateway_payment_id, amount=amount, idempotency_key=f"refund-payment-{payment.pk}"
        )
        refunds.append(
            Refund.objects.create(
                tenant_id=payment.tenant_id,
                payment=payment,
                amount_minor=payment.amount_minor,
                gateway_refund_id=refund_id,
                reason=reason,
                created_by=actor,
            )
        )
        invoice = payment.invoice
        invoice.refunded_minor = invoice.total_minor
        invoice.status = Invoice.Status.REFUNDED
        invoice.save(update_fields=["refunded_minor", "status"])
        record_event(
            subscription=invoice.subscription,
            kind=OrderEvent.Kind.REFUNDED,
            actor=actor,
            amount=amount,
            note=invoice.number,
        )
    return refunds


def _close_cancellation_requests(subscription: Subscription, *, actor: User, by_buyer: bool) -> None:
    from support.models import CancellationRequest

    status = CancellationRequest.Status.RESOLVED_BY_BUYER if by_buyer else CancellationRequest.Status.DONE
    CancellationRequest.objects.filter(subscription=subscription).open().update(
        status=status, handled_by=actor, handled_at=timezone.now(), updated_at=timezone.now()
    )


# Paying and the card ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoicePayment:
    invoice: Invoice
    client_secret: str = ""
    error: str = ""

    @property
    def requires_action(self) -> bool:
        return bool(self.client_secret)


@transaction.atomic
def pay_invoice(*, invoice: Invoice, actor: User, payment_intent_id: str = "") -> InvoicePayment:
    """Pay an open or failed invoice with the saved card, the buyer present (3-D Secure possible).

    Every attempt is recorded, declines included; a payment confirmed with the bank is accepted
    only if it is the one this invoice started, for its amount and currency.
    """
    invoice = (
        Invoice.objects.select_for_update(of=("self",)).select_related("subscription", "account").get(pk=invoice.pk)
    )
    if invoice.status == Invoice.Status.PAID:
        return InvoicePayment(invoice=invoice)
    if not invoice.is_payable:
        raise PurchaseError(_("This invoice cannot be paid here."), code="not_payable")
    account = invoice.account
    if payment_intent_id:
        pending = invoice.payments.filter(
            status=Payment.Status.REQUIRES_ACTION, gateway_payment_id=payment_intent_id
        ).first()
        if pending is None:
            raise PurchaseError(_("This payment does not belong to this invoice."), code="payment_mismatch")
        charge = gateway.retrieve_charge(payment_intent_id)
        matches = (charge.amount_minor, charge.currency) == (invoice.total_minor, invoice.currency)
        if not (charge.succeeded and matches):
            pending.status = Payment.Status.FAILED
            pending.failure_code = (charge.failure_code or charge.status)[:64]
            pending.save(update_fields=["status", "failure_code"])
            return _payment_failed(invoice, actor, gateway.decline_message(charge.failure_code))
        return _paid(invoice, charge, pending.payment_method, pending.idempotency_key, actor)
    card = _card_on_file(account)
    key = f"invoice-{invoice.pk}-attempt-{invoice.payments.count() + 1}"
    attempt = {"invoice": invoice, "payment_method": card, "idempotency_key": key, "off_session": False}
    try:
        charge = gateway.charge(
            customer_id=account.gateway_customer_id,
            payment_method_id=card.gateway_payment_method_id,
            amount=invoice.total,
            idempotency_key=key,
            off_session=False,
            description=invoice.number,
            metadata={"invoice": invoice.number},
        )
    except gateway.PaymentDeclined as declined:
        record_payment_attempt(
            charge=None,
            status=Payment.Status.FAILED,
            failure_code=declined.code,
            failure_message=declined.message,
            **attempt,
        )
        return _payment_failed(invoice, actor, declined.message)
    if charge.requires_action:
        record_payment_attempt(charge=charge, status=Payment.Status.REQUIRES_ACTION, **attempt)
        return InvoicePayment(invoice=invoice, client_secret=charge.client_secret)
    if not charge.succeeded:
        record_payment_attempt(
            charge=charge,
            status=Payment.Status.FAILED,
            failure_code=charge.failure_code,
            failure_message=charge.failure_message,
            **attempt,
        )
        return _payment_failed(invoice, actor, gateway.decline_message(charge.failure_code))
    return _paid(invoice, charge, card, key, actor)


def _paid(invoice, charge, card, key, actor) -> InvoicePayment:
    mark_invoice_paid(
        invoice=invoice, charge=charge, payment_method=card, idempotency_key=key, off_session=False, actor=actor
    )
    subscription = invoice.subscription
    if subscription.status == Subscription.Status.PAST_DUE and not subscription.invoices.payable().exists():
        subscription.status = Subscription.Status.ACTIVE
        subscription.status_changed_at = timezone.now()
        subscription.save(update_fields=["status", "status_changed_at"])
    return InvoicePayment(invoice=invoice)


def _payment_failed(invoice: Invoice, actor: User, message: str) -> InvoicePayment:
    if invoice.status != Invoice.Status.FAILED:
        invoice.status = Invoice.Status.FAILED
        invoice.save(update_fields=["status"])
    record_event(
        subscription=invoice.subscription,
        kind=OrderEvent.Kind.PAYMENT_FAILED,
        actor=actor,
        amount=invoice.total,
        note=f"{invoice.number}: {message}",
    )
    return InvoicePayment(invoice=invoice, error=message)


@transaction.atomic
def replace_card(*, account: BillingAccount, setup_intent_id: str, actor: User) -> PaymentMethod:
    """Make the card confirmed in the browser the default; the old one is detached at the gateway."""
    account = BillingAccount.objects.select_for_update().get(pk=account.pk)
    intent = gateway.retrieve_setup_intent(setup_intent_id)
    if intent.status != "succeeded" or intent.customer_id != account.gateway_customer_id:
        raise PurchaseError(_("Your card was not confirmed. Enter it again."), code="card_not_confirmed")
    old_cards = list(account.payment_methods.filter(detached_at__isnull=True))
    card = save_card(
        account=account,
        card=gateway.card_details(payment_method_id=intent.payment_method_id, customer_id=intent.customer_id),
    )
    for old in old_cards:
        if old.pk != card.pk:
            gateway.detach_card(old.gateway_payment_method_id)
            old.detached_at = timezone.now()
            old.is_default = False
            old.save(update_fields=["detached_at", "is_default"])
    for subscription in Subscription.objects.filter(buyer_id=account.membership_id).licenses_work():
        record_event(
            subscription=subscription, kind=OrderEvent.Kind.PAYMENT_METHOD_CHANGED, actor=actor, note=card.label
        )
    return card
