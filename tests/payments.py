"""Test helpers for the card step that the browser performs with Stripe.js (localstripe only)."""

from __future__ import annotations

import json
from urllib.request import Request, urlopen

import stripe
from django.conf import settings

from purchases import gateway

VISA = "4242424242424242"
DECLINED_AT_SETUP = "4000000000000002"
DECLINED_AT_CHARGE = "4000000000000341"
THREE_D_SECURE = "4000002500003155"


def card_payment_method(number: str) -> str:
    """A PaymentMethod for a test card number (what Stripe Elements would create)."""
    gateway._configure()
    method = stripe.PaymentMethod.create(
        type="card", card={"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    )
    return method.id


def confirm_card(setup_intent_id: str, number: str) -> gateway.SetupIntentInfo:
    """confirmCardSetup: attach the card to the SetupIntent; a 3-D Secure card is authenticated too."""
    info = gateway.confirm_setup_intent(setup_intent_id, payment_method_id=card_payment_method(number))
    if info.status == "requires_action":  # the 3-D Secure modal's "Complete authentication"
        info = gateway._setup_info(gateway._call(stripe.SetupIntent.confirm, setup_intent_id))
    return info


def authenticate_payment(client_secret: str, *, success: bool) -> None:
    """confirmCardPayment's 3-D Secure step, as localstripe's Stripe.js performs it."""
    payment_intent_id = client_secret.split("_secret_")[0]
    body = json.dumps({"key": settings.STRIPE_PUBLISHABLE_KEY, "client_secret": client_secret}).encode()
    url = f"{settings.STRIPE_API_BASE}/v1/payment_intents/{payment_intent_id}/_authenticate?success={str(success).lower()}"
    with urlopen(Request(url, data=body, method="POST")) as response:
        assert response.status == 200
