"""The payment gateway: Stripe stores cards and takes payments; our database is the billing engine.

Every call goes through this module. `stripe.api_base` comes from settings, so development and
tests talk to localstripe and production to Stripe with the same code. Stripe's exceptions are
translated into our own errors, whose messages are written for the buyer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from tenants.errors import SeatwiseError

from .money import Money

logger = logging.getLogger(__name__)


class GatewayError(SeatwiseError):
    code = "gateway_error"


class PaymentDeclined(GatewayError):
    code = "card_declined"


class GatewayUnavailable(GatewayError):
    code = "gateway_unavailable"


def decline_message(code: str | None) -> str:
    messages = {
        "expired_card": _("Your card has expired. Use another card."),
        "incorrect_cvc": _("The card's security code is incorrect. Check it and try again."),
        "insufficient_funds": _("Your card has insufficient funds. Use another card."),
        "processing_error": _("Your bank could not process the card. Try again or use another card."),
        "authentication_required": _(
            "Your bank asks you to confirm this payment. Pay the invoice from your purchases page to confirm it."
        ),
        "payment_intent_authentication_failure": _(
            "The card's 3-D Secure check was not completed. Try again or use another card."
        ),
        "setup_intent_authentication_failure": _(
            "The card's 3-D Secure check was not completed. Try again or use another card."
        ),
    }
    return messages.get(
        code or "", _("Your card was declined. Use another card, or contact your bank to find out why.")
    )


def unavailable_message() -> str:
    return _("We could not reach the payment service. Nothing was charged; please try again in a moment.")


@dataclass(frozen=True)
class CardDetails:
    payment_method_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class SetupIntentInfo:
    id: str
    client_secret: str
    status: str
    payment_method_id: str
    customer_id: str


@dataclass(frozen=True)
class ChargeResult:
    payment_intent_id: str
    status: str  # succeeded | requires_action | failed | processing | canceled
    client_secret: str = ""
    failure_code: str = ""
    failure_message: str = ""
    amount_minor: int = 0
    currency: str = ""
    customer_id: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    @property
    def requires_action(self) -> bool:
        return self.status == "requires_action"


def _configure() -> None:
    stripe.api_key = settings.STRIPE_SECRET_KEY
    stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 2  # safe: every write carries an idempotency key
    if stripe.default_http_client is None:
        stripe.default_http_client = stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT_SECONDS)


def _call(function, *args, **kwargs):
    """Run one Stripe call, translating its errors into ours."""
    _configure()
    try:
        return function(*args, **kwargs)
    except stripe.CardError as error:
        code = getattr(error, "code", None) or ""
        decline_code = (getattr(error, "error", None) and getattr(error.error, "decline_code", None)) or ""
        logger.info("card declined: %s %s", code, decline_code)
        raise PaymentDeclined(
            decline_message(decline_code or code), code=decline_code or code or "card_declined"
        ) from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        logger.warning("payment gateway unreachable: %s", error)
        raise GatewayUnavailable(unavailable_message()) from error
    except stripe.APIError as error:
        logger.warning("payment gateway error: %s", error)
        raise GatewayUnavailable(unavailable_message()) from error
    except stripe.StripeError as error:
        logger.error("payment gateway refused a request: %s", error)
        raise GatewayError(_("The payment service refused the request. Nothing was charged.")) from error


def create_customer(*, email: str, name: str, tenant_name: str) -> str:
    customer = _call(
        stripe.Customer.create, email=email, name=name, metadata={"tenant": tenant_name, "source": "seatwise"}
    )
    return customer.id


def create_setup_intent(*, customer_id: str) -> SetupIntentInfo:
    intent = _call(stripe.SetupIntent.create, customer=customer_id, usage="off_session", payment_method_types=["card"])
    return _setup_info(intent)


def retrieve_setup_intent(setup_intent_id: str) -> SetupIntentInfo:
    return _setup_info(_call(stripe.SetupIntent.retrieve, setup_intent_id))


def _setup_info(intent) -> SetupIntentInfo:
    data = intent.to_dict()
    payment_method = data.get("payment_method") or ""
    if isinstance(payment_method, dict):
        payment_method = payment_method.get("id", "")
    return SetupIntentInfo(
        id=data["id"],
        client_secret=data.get("client_secret") or "",
        status=data["status"],
        payment_method_id=payment_method,
        customer_id=data.get("customer") or "",
    )


def card_details(*, payment_method_id: str, customer_id: str) -> CardDetails:
    """Describe a confirmed card, attaching it to the customer where the gateway has not yet."""
    method = _call(stripe.PaymentMethod.retrieve, payment_method_id).to_dict()
    if method.get("customer") != customer_id:
        method = _call(stripe.PaymentMethod.attach, payment_method_id, customer=customer_id).to_dict()
    card = method.get("card") or {}
    return CardDetails(
        payment_method_id=method["id"],
        brand=card.get("brand") or "card",
        last4=card.get("last4") or "????",
        exp_month=int(card.get("exp_month")),
        exp_year=int(card.get("exp_year")),
    )


def detach_card(payment_method_id: str) -> None:
    _call(stripe.PaymentMethod.detach, payment_method_id)


def charge(
    *,
    customer_id: str,
    payment_method_id: str,
    amount: Money,
    idempotency_key: str,
    off_session: bool,
    description: str,
    metadata: dict[str, str],
) -> ChargeResult:
    """Charge a saved card. Declines raise PaymentDeclined; a 3-D Secure step returns requires_action."""
    params = {
        "amount": amount.amount,
        "currency": amount.currency.lower(),
        "customer": customer_id,
        "payment_method": payment_method_id,
        "confirm": True,
        # localstripe has no `description`; metadata carries it to the dashboard instead.
        "metadata": {**metadata, "description": description},
        "idempotency_key": idempotency_key,
    }
    if off_session:
        params["off_session"] = True
    intent = _call(stripe.PaymentIntent.create, **params)
    return _charge_result(intent)


def retrieve_charge(payment_intent_id: str) -> ChargeResult:
    return _charge_result(_call(stripe.PaymentIntent.retrieve, payment_intent_id))


def _charge_result(intent) -> ChargeResult:
    data = intent.to_dict()
    status = data["status"]
    error = data.get("last_payment_error") or {}
    if status == "requires_payment_method":
        status = "failed"
    return ChargeResult(
        payment_intent_id=data["id"],
        status=status,
        client_secret=data.get("client_secret") or "",
        failure_code=(error.get("decline_code") or error.get("code") or "") if error else "",
        failure_message=(error.get("message") or "") if error else "",
        amount_minor=int(data.get("amount") or 0),
        currency=(data.get("currency") or "").upper(),
        customer_id=data.get("customer") or "",
    )


def cancel_charge(payment_intent_id: str) -> None:
    """Abandon a payment still waiting for 3-D Secure (the buyer chose another card)."""
    _call(stripe.PaymentIntent.cancel, payment_intent_id)


def refund(*, payment_intent_id: str, amount: Money, idempotency_key: str) -> str:
    result = _call(
        stripe.Refund.create, payment_intent=payment_intent_id, amount=amount.amount, idempotency_key=idempotency_key
    )
    return result.id


def confirm_setup_intent(setup_intent_id: str, *, payment_method_id: str) -> SetupIntentInfo:
    """Confirm a SetupIntent from the server with a known payment method (demo data and tests;
    buyers confirm theirs in the browser with Stripe Elements)."""
    return _setup_info(_call(stripe.SetupIntent.confirm, setup_intent_id, payment_method=payment_method_id))
