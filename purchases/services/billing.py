"""Billing accounts, cards and invoices: numbered without gaps, immutable once issued."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases import gateway
from purchases.models import (
    BillingAccount,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    OrderEvent,
    Payment,
    PaymentMethod,
    Subscription,
)
from tenants.models import Membership, User

from .common import record_event


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
    """Record a succeeded charge for the invoice (completing the attempt that waited for 3-D Secure, if any)."""
    payment = invoice.payments.filter(gateway_payment_id=charge.payment_intent_id).first()
    if payment is None:
        payment = record_payment_attempt(
            invoice=invoice,
            charge=charge,
            payment_method=payment_method,
            idempotency_key=idempotency_key,
            off_session=off_session,
            status=Payment.Status.SUCCEEDED,
        )
    else:
        payment.status = Payment.Status.SUCCEEDED
        payment.save(update_fields=["status"])
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


def record_payment_attempt(
    *,
    invoice: Invoice,
    charge: gateway.ChargeResult | None,
    payment_method: PaymentMethod | None,
    idempotency_key: str,
    off_session: bool,
    status: str,
    failure_code: str = "",
    failure_message: str = "",
) -> Payment:
    """One numbered attempt to collect the invoice, whatever its outcome."""
    return Payment.objects.create(
        tenant_id=invoice.tenant_id,
        invoice=invoice,
        attempt=invoice.payments.count() + 1,
        idempotency_key=idempotency_key,
        gateway_payment_id=charge.payment_intent_id if charge else "",
        payment_method=payment_method,
        amount_minor=invoice.total_minor,
        currency=invoice.currency,
        status=status,
        failure_code=failure_code[:64],
        failure_message=failure_message[:255],
        off_session=off_session,
    )
