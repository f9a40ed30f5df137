"""The self-service checkout: seats and price, then the card, then exactly one charge.

`complete_checkout` locks the checkout row, so a double click or a retried request waits for
the first one and then returns its result instead of charging again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases import gateway
from purchases.errors import PurchaseError
from purchases.models import PaymentMethod, Product, Subscription
from purchases.services import (
    billing_account_for,
    check_trial_fits,
    ensure_gateway_customer,
    record_self_service_purchase,
    save_card,
    start_trial_subscription,
    validate_seats,
)
from tenants.models import Membership, User

from .eligibility import Eligibility, check_eligibility
from .models import Checkout
from .selectors import price_for

logger = logging.getLogger(__name__)


class NotEligible(PurchaseError):
    code = "not_eligible"

    def __init__(self, eligibility: Eligibility):
        super().__init__(" ".join(eligibility.explanations))
        self.eligibility = eligibility


@dataclass(frozen=True)
class CheckoutOutcome:
    checkout: Checkout
    subscription: Subscription | None = None
    client_secret: str = ""
    error: str = ""

    @property
    def requires_action(self) -> bool:
        return bool(self.client_secret)


def _require_eligible(*, membership: Membership, user: User, product: Product, trial: bool = False) -> Eligibility:
    eligibility = check_eligibility(user=user, tenant=membership.tenant, product=product)
    if not (eligibility.can_trial if trial else eligibility.can_buy):
        raise NotEligible(eligibility)
    return eligibility


@transaction.atomic
def start_checkout(
    *, membership: Membership, user: User, product: Product, seats: int, billing_period: str
) -> Checkout:
    """Fix seats, period and price (snapshot) for the card step."""
    validate_seats(seats)
    _require_eligible(membership=membership, user=user, product=product)
    check_trial_fits(membership=membership, product=product, seats=seats)
    price = price_for(product, currency=membership.tenant.currency, billing_period=billing_period)
    if price is None:
        raise PurchaseError(_("This billing period is not offered for %(product)s.") % {"product": product.name})
    return Checkout.objects.create(
        tenant_id=membership.tenant_id,
        membership=membership,
        product=product,
        seats=seats,
        billing_period=billing_period,
        unit_price_minor=price.amount_minor,
        currency=price.currency,
    )


def prepare_card_setup(*, checkout: Checkout) -> gateway.SetupIntentInfo:
    """A fresh SetupIntent for this attempt (Stripe Elements confirms it in the browser)."""
    if checkout.status == Checkout.Status.COMPLETED:
        raise PurchaseError(_("This purchase is already complete."), code="already_complete")
    customer_id = ensure_gateway_customer(billing_account_for(checkout.membership))
    intent = gateway.create_setup_intent(customer_id=customer_id)
    Checkout.objects.filter(pk=checkout.pk).update(setup_intent_id=intent.id, updated_at=timezone.now())
    return intent


def complete_checkout(
    *, checkout: Checkout, user: User, setup_intent_id: str = "", payment_intent_id: str = ""
) -> CheckoutOutcome:
    """Charge the confirmed card once and record the purchase; safe to call again with the same checkout.

    A payment that went through at the bank is always recorded, even if its confirmation never came
    back to us; a new charge is only made for a new card, after the rules are checked again.
    """
    with transaction.atomic():
        checkout = (
            Checkout.objects.select_for_update(of=("self",))
            .select_related("membership__user", "membership__tenant", "product")
            .get(pk=checkout.pk)
        )
        if checkout.status == Checkout.Status.COMPLETED:
            return CheckoutOutcome(checkout=checkout, subscription=checkout.subscription)
        if checkout.membership.user_id != user.pk:
            raise PurchaseError(_("This purchase belongs to someone else."), code="not_yours")
        if payment_intent_id and payment_intent_id != checkout.payment_intent_id:
            raise PurchaseError(_("This payment does not belong to this purchase."), code="payment_mismatch")
        account = billing_account_for(checkout.membership)
        charge = payment_method = None

        if checkout.status == Checkout.Status.REQUIRES_ACTION:
            pending = gateway.retrieve_charge(checkout.payment_intent_id)
            if pending.succeeded:
                charge = pending
                payment_method = PaymentMethod.objects.get(gateway_payment_method_id=checkout.payment_method_id)
            elif pending.requires_action and not setup_intent_id:
                return CheckoutOutcome(checkout=checkout, client_secret=pending.client_secret)
            else:
                if pending.requires_action:
                    gateway.cancel_charge(pending.payment_intent_id)  # the buyer moved on to another card
                checkout.status = Checkout.Status.OPEN
                checkout.payment_intent_id = ""
                checkout.save(update_fields=["status", "payment_intent_id"])
                if not setup_intent_id:
                    return CheckoutOutcome(checkout=checkout, error=gateway.decline_message(pending.failure_code))

        if charge is None:
            # The policy, the market or the account may have changed since the seats were chosen.
            _require_eligible(membership=checkout.membership, user=user, product=checkout.product)
            check_trial_fits(membership=checkout.membership, product=checkout.product, seats=checkout.seats)
            intent = gateway.retrieve_setup_intent(setup_intent_id) if setup_intent_id else None
            if intent is None or intent.status != "succeeded" or intent.customer_id != account.gateway_customer_id:
                raise PurchaseError(_("Your card was not confirmed. Enter it again."), code="card_not_confirmed")
            card = gateway.card_details(payment_method_id=intent.payment_method_id, customer_id=intent.customer_id)
            payment_method = save_card(account=account, card=card)
            charge = gateway.charge(
                customer_id=account.gateway_customer_id,
                payment_method_id=card.payment_method_id,
                amount=checkout.total,
                idempotency_key=_idempotency_key(checkout, card.payment_method_id),
                off_session=False,
                description=f"{checkout.product.name} × {checkout.seats}",
                metadata={"checkout": str(checkout.token), "tenant": str(checkout.tenant_id)},
            )
            if charge.requires_action:
                checkout.status = Checkout.Status.REQUIRES_ACTION
                checkout.payment_intent_id = charge.payment_intent_id
                checkout.payment_method_id = card.payment_method_id
                checkout.save(update_fields=["status", "payment_intent_id", "payment_method_id"])
                return CheckoutOutcome(checkout=checkout, client_secret=charge.client_secret)
            if not charge.succeeded:
                raise gateway.PaymentDeclined(gateway.decline_message(charge.failure_code), code=charge.failure_code)

        try:
            subscription = record_self_service_purchase(
                buyer=checkout.membership,
                product=checkout.product,
                seats=checkout.seats,
                billing_period=checkout.billing_period,
                unit_price_minor=checkout.unit_price_minor,
                currency=checkout.currency,
                payment_method=payment_method,
                charge=charge,
                idempotency_key=_idempotency_key(checkout, payment_method.gateway_payment_method_id),
                actor=user,
            )
        except Exception:
            # The money was taken but the purchase could not be recorded: give it back, then fail loudly.
            logger.exception("recording checkout %s failed after the charge; refunding", checkout.token)
            gateway.refund(
                payment_intent_id=charge.payment_intent_id,
                amount=checkout.total,
                idempotency_key=f"refund-{charge.payment_intent_id}",
            )
            raise
        checkout.status = Checkout.Status.COMPLETED
        checkout.subscription = subscription
        checkout.updated_at = timezone.now()
        checkout.save(update_fields=["status", "subscription", "updated_at"])
        return CheckoutOutcome(checkout=checkout, subscription=subscription)


def _idempotency_key(checkout: Checkout, payment_method_id: str) -> str:
    # One key per checkout and card: a retry with the same card can never charge twice,
    # while a new card after a decline gets its own attempt.
    return f"checkout-{checkout.token}-{payment_method_id}"


def start_trial(*, membership: Membership, user: User, product: Product, seats: int) -> Subscription:
    """Start a free trial without a card (policy OnlyTrialsWithoutPaymentMethod or the product's trial)."""
    _require_eligible(membership=membership, user=user, product=product, trial=True)
    price = price_for(product, currency=membership.tenant.currency, billing_period="monthly")
    return start_trial_subscription(
        buyer=membership,
        product=product,
        seats=seats,
        unit_price_minor=price.amount_minor if price else 0,
        currency=membership.tenant.currency,
        actor=user,
    )
