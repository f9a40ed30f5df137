"""The checkout against localstripe: real Stripe API calls, one charge at most, no partial state."""

import threading

import pytest
import stripe
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from purchases import gateway
from purchases.errors import InvalidSeats
from purchases.models import (
    Invoice,
    InvoiceSequence,
    LicenseAssignment,
    OrderEvent,
    Payment,
    PaymentMethod,
    Subscription,
)
from selfservice.checkout import NotEligible, complete_checkout, prepare_card_setup, start_checkout, start_trial
from selfservice.models import Checkout
from selfservice.services import set_policy
from tests.payments import (
    DECLINED_AT_CHARGE,
    DECLINED_AT_SETUP,
    THREE_D_SECURE,
    VISA,
    authenticate_payment,
    confirm_card,
)

pytestmark = pytest.mark.usefixtures("localstripe")


def begin(demo, login="jonas", product="power-bi-premium-per-user", seats=3, period="monthly"):
    membership = demo.membership(login)
    return start_checkout(
        membership=membership, user=membership.user, product=demo.product(product), seats=seats, billing_period=period
    )


def pay(checkout, number=VISA):
    intent = prepare_card_setup(checkout=checkout)
    confirm_card(intent.id, number)
    return complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)


def nothing_recorded():
    return not (
        Subscription.objects.exists()
        or Invoice.objects.exists()
        or Payment.objects.exists()
        or LicenseAssignment.objects.exists()
        or OrderEvent.objects.exists()
    )


@pytest.mark.django_db
def test_a_successful_purchase(demo, django_capture_on_commit_callbacks):
    checkout = begin(demo)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = pay(checkout)
    subscription = outcome.subscription
    assert (subscription.status, subscription.seats, subscription.channel) == ("active", 3, "self_service")
    assert subscription.buyer == demo.membership("jonas")
    assert subscription.currency == "EUR" and subscription.unit_price_minor == 2280
    invoice = subscription.invoices.get()
    assert (invoice.status, invoice.total_minor, invoice.by_card) == ("paid", 3 * 2280, True)
    assert invoice.number.startswith("SW-")
    payment = invoice.payments.get()
    assert payment.status == "succeeded" and payment.gateway_payment_id.startswith("pi_")
    gateway._configure()
    assert stripe.PaymentIntent.retrieve(payment.gateway_payment_id).status == "succeeded"
    assert list(subscription.licenses.values_list("membership__user__email", flat=True)) == ["jonas@fabrikam.example"]
    assert subscription.seats_assigned == 1
    kinds = set(subscription.events.values_list("kind", flat=True))
    assert {"purchased", "payment_succeeded", "license_assigned"} <= kinds
    card = PaymentMethod.objects.get()
    assert (card.brand, card.last4) == ("visa", "4242")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["greta@fabrikam.example", "jonas@fabrikam.example"]
    assert "Your purchase of Power BI Premium Per User" in [m.subject for m in mail.outbox]
    assert demo.membership("greta").notices.get().title == "Jonas Becker bought Power BI Premium Per User"


@pytest.mark.django_db
def test_a_card_declined_at_charge_leaves_nothing_and_can_be_retried(demo):
    checkout = begin(demo)
    numbers_before = list(InvoiceSequence.objects.values_list("last_number", flat=True))
    with pytest.raises(gateway.PaymentDeclined) as declined:
        pay(checkout, DECLINED_AT_CHARGE)
    assert "declined" in declined.value.message
    assert nothing_recorded()
    assert not PaymentMethod.objects.exists()
    assert list(InvoiceSequence.objects.values_list("last_number", flat=True)) == numbers_before
    # The same checkout goes through with another card.
    assert pay(checkout, VISA).subscription is not None
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_card_declined_while_saving_it_is_never_charged(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    with pytest.raises(gateway.PaymentDeclined):
        confirm_card(intent.id, DECLINED_AT_SETUP)
    with pytest.raises(Exception) as refusal:
        complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
    assert "not confirmed" in refusal.value.message
    assert nothing_recorded()


@pytest.mark.django_db
def test_a_3d_secure_card_is_authenticated_then_charged(demo):
    checkout = begin(demo)
    outcome = pay(checkout, THREE_D_SECURE)
    assert outcome.requires_action and outcome.subscription is None
    assert nothing_recorded()
    authenticate_payment(outcome.client_secret, success=True)
    payment_intent = outcome.client_secret.split("_secret_")[0]
    done = complete_checkout(checkout=checkout, user=checkout.membership.user, payment_intent_id=payment_intent)
    assert done.subscription.status == "active"
    assert Payment.objects.get().gateway_payment_id == payment_intent


@pytest.mark.django_db
def test_a_failed_3d_secure_check_records_nothing_and_lets_the_buyer_retry(demo):
    checkout = begin(demo)
    outcome = pay(checkout, THREE_D_SECURE)
    authenticate_payment(outcome.client_secret, success=False)
    payment_intent = outcome.client_secret.split("_secret_")[0]
    failed = complete_checkout(checkout=checkout, user=checkout.membership.user, payment_intent_id=payment_intent)
    assert failed.subscription is None and "3-D Secure check was not completed" in failed.error
    assert nothing_recorded()
    assert pay(checkout, VISA).subscription is not None


@pytest.mark.django_db
def test_a_retried_request_returns_the_first_result_without_charging_again(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    confirm_card(intent.id, VISA)
    first = complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
    again = complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
    assert again.subscription == first.subscription
    assert Subscription.objects.count() == 1 and Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_charges_once(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    confirm_card(intent.id, VISA)
    results, errors = [], []

    def submit():
        try:
            results.append(
                complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {r.subscription.pk for r in results} == {Subscription.objects.get().pk}
    assert Payment.objects.count() == 1
    customer = PaymentMethod.objects.get().account.gateway_customer_id
    gateway._configure()
    charges = [c for c in stripe.Charge.list(customer=customer).data if c.status == "succeeded"]
    assert len(charges) == 1


@pytest.mark.django_db
def test_an_unreachable_gateway_records_nothing_as_paid(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    confirm_card(intent.id, VISA)
    with override_settings(STRIPE_API_BASE="http://127.0.0.1:9"), pytest.raises(gateway.GatewayUnavailable) as down:
        complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
    assert "Nothing was charged" in down.value.message
    assert nothing_recorded()
    assert Checkout.objects.get().status == "open"


@pytest.mark.django_db
def test_a_policy_changed_mid_checkout_stops_the_charge(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    confirm_card(intent.id, VISA)
    set_policy(
        tenant=demo.tenant("fabrikam"), product=checkout.product, value="Disabled", actor=demo.user("greta"), via="ui"
    )
    with pytest.raises(NotEligible) as refusal:
        complete_checkout(checkout=checkout, user=checkout.membership.user, setup_intent_id=intent.id)
    assert "turned off self-service purchases" in refusal.value.message
    assert nothing_recorded()


@pytest.mark.parametrize("seats", [0, -3, 1001, 10**9, None, "3", True])
@pytest.mark.django_db
def test_impossible_seat_counts_are_refused(demo, seats):
    with pytest.raises(InvalidSeats, match="Choose between 1 and 1,000 licenses"):
        begin(demo, seats=seats)
    assert not Checkout.objects.exists()


@pytest.mark.django_db
def test_an_ineligible_user_cannot_start_a_checkout(demo):
    with pytest.raises(NotEligible):
        begin(demo, login="ravi", product="power-bi-pro")
    assert not Checkout.objects.exists()


@pytest.mark.django_db
def test_someone_else_cannot_complete_my_checkout(demo):
    checkout = begin(demo)
    with pytest.raises(Exception, match="belongs to someone else"):
        complete_checkout(checkout=checkout, user=demo.user("greta"), setup_intent_id="seti_x")
    assert nothing_recorded()


@pytest.mark.django_db
def test_a_trial_starts_without_a_card_and_only_once(demo, django_capture_on_commit_callbacks):
    contoso, visio = demo.tenant("contoso"), demo.product("visio-plan-2")
    set_policy(tenant=contoso, product=visio, value="OnlyTrialsWithoutPaymentMethod", actor=None, via="ui")
    alex = demo.membership("alex")
    with django_capture_on_commit_callbacks(execute=True):
        trial = start_trial(membership=alex, user=alex.user, product=visio, seats=5)
    assert (trial.status, trial.seats, trial.auto_renew) == ("trial", 5, False)
    assert (trial.term_end - trial.term_start).days == 30
    assert not Invoice.objects.exists() and not Payment.objects.exists()
    assert "Your free trial of Visio Plan 2 has started" in [m.subject for m in mail.outbox]
    with pytest.raises(Exception, match="already used the free trial"):
        start_trial(membership=alex, user=alex.user, product=visio, seats=1)
    with pytest.raises(NotEligible):
        begin(demo, login="alex", product="visio-plan-2")


@pytest.mark.django_db
def test_a_trial_cannot_exceed_its_seat_limit(demo):
    alex = demo.membership("alex")
    with pytest.raises(InvalidSeats):
        start_trial(membership=alex, user=alex.user, product=demo.product("visio-plan-2"), seats=26)
    assert not Subscription.objects.exists()


# The pages around the service -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_email_domain_is_told_and_nothing_is_created(client, demo):
    response = client.post(reverse("selfservice:buy", args=["power-bi-pro"]), {"email": "ceo@unknown.example"})
    assert "No organization uses the domain “unknown.example”" in response.content.decode()
    assert not Checkout.objects.exists()


@pytest.mark.django_db
def test_a_known_email_goes_to_sign_in_with_the_address_filled_in(client, demo):
    response = client.post(reverse("selfservice:buy", args=["power-bi-pro"]), {"email": "Jonas@Fabrikam.example"})
    assert response.status_code == 302
    assert response.url.startswith(
        "/accounts/login/?login=jonas%40fabrikam.example&next=%2Fbuy%2Fpower-bi-pro%2Fseats%2F"
    )
    assert 'value="jonas@fabrikam.example"' in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_signed_in_buyer_skips_email_and_sign_in(client, demo):
    client.force_login(demo.user("jonas"))
    response = client.get(reverse("selfservice:buy", args=["power-bi-pro"]))
    assert response.url == reverse("selfservice:seats", args=["power-bi-pro"])


@pytest.mark.parametrize(
    ("seats", "message"),
    [("0", "Choose at least one license."), ("5000", "limited to 1000"), ("three", "Enter a whole number")],
)
@pytest.mark.django_db
def test_the_seats_page_explains_bad_numbers(client, demo, seats, message):
    client.force_login(demo.user("jonas"))
    response = client.post(
        reverse("selfservice:seats", args=["power-bi-pro"]), {"seats": seats, "billing_period": "monthly"}
    )
    assert message in response.content.decode()
    assert not Checkout.objects.exists()


@pytest.mark.django_db
def test_the_seats_page_shows_price_total_and_renewal_date(client, demo):
    client.force_login(demo.user("jonas"))
    response = client.get(
        reverse("selfservice:quote", args=["power-bi-premium-per-user"]), {"seats": "3", "billing_period": "annual"}
    )
    page = response.content.decode()
    assert "€684.00" in page  # 3 × €228.00 a year
    assert "Renews on" in page


@pytest.mark.django_db
def test_paying_a_completed_checkout_again_shows_the_same_purchase(client, demo):
    checkout = begin(demo)
    pay(checkout)
    client.force_login(demo.user("jonas"))
    url = reverse("selfservice:pay", args=[checkout.product.slug, checkout.token])
    response = client.post(url, {"setup_intent": checkout.setup_intent_id})
    assert response.url == reverse("selfservice:done", args=[checkout.product.slug, checkout.token])
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_another_persons_checkout_is_not_found(client, demo):
    checkout = begin(demo)
    client.force_login(demo.user("greta"))
    assert client.get(reverse("selfservice:pay", args=[checkout.product.slug, checkout.token])).status_code == 404


# After 3-D Secure ------------------------------------------------------------------------------


def charges_of(customer_id):
    gateway._configure()
    return [c for c in stripe.Charge.list(customer=customer_id).data if c.status == "succeeded"]


@pytest.mark.django_db
def test_a_payment_confirmed_at_the_bank_is_recorded_even_if_the_browser_never_came_back(demo):
    checkout = begin(demo)
    outcome = pay(checkout, THREE_D_SECURE)
    authenticate_payment(outcome.client_secret, success=True)  # …and the tab is closed before posting back
    retried = pay(checkout, VISA)  # the buyer comes back and enters a card again
    assert retried.subscription is not None
    assert Payment.objects.get().gateway_payment_id == outcome.client_secret.split("_secret_")[0]
    customer = PaymentMethod.objects.first().account.gateway_customer_id
    assert len(charges_of(customer)) == 1


@pytest.mark.django_db
def test_choosing_another_card_during_3d_secure_cancels_the_waiting_payment(demo):
    checkout = begin(demo)
    waiting = pay(checkout, THREE_D_SECURE)
    done = pay(checkout, VISA)
    assert done.subscription is not None
    gateway._configure()
    assert stripe.PaymentIntent.retrieve(waiting.client_secret.split("_secret_")[0]).status == "canceled"
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_a_policy_change_after_the_bank_confirmed_does_not_lose_the_payment(demo):
    checkout = begin(demo)
    outcome = pay(checkout, THREE_D_SECURE)
    authenticate_payment(outcome.client_secret, success=True)
    set_policy(tenant=demo.tenant("fabrikam"), product=checkout.product, value="Disabled", actor=None, via="ui")
    payment_intent = outcome.client_secret.split("_secret_")[0]
    done = complete_checkout(checkout=checkout, user=checkout.membership.user, payment_intent_id=payment_intent)
    assert done.subscription is not None and Payment.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_another_payment_cannot_complete_a_checkout(demo):
    checkout = begin(demo)
    pay(checkout, THREE_D_SECURE)
    with pytest.raises(Exception, match="does not belong to this purchase"):
        complete_checkout(checkout=checkout, user=checkout.membership.user, payment_intent_id="pi_someone_else")
    assert nothing_recorded()


# Trials and people who already hold the product ---------------------------------------------------


@pytest.mark.django_db
def test_buying_after_a_trial_converts_it_and_keeps_its_licenses(demo):
    jonas, greta = demo.membership("jonas"), demo.membership("greta")
    product = demo.product("power-bi-premium-per-user")
    trial = start_trial(membership=jonas, user=jonas.user, product=product, seats=5)
    from purchases.services import assign_license

    assign_license(subscription=trial, membership=greta, actor=None)
    bought = pay(begin(demo, seats=3)).subscription
    trial.refresh_from_db()
    assert trial.status == "cancelled" and trial.seats_assigned == 0
    assert set(bought.licenses.values_list("membership__user__email", flat=True)) == {
        "jonas@fabrikam.example",
        "greta@fabrikam.example",
    }
    assert bought.seats_assigned == 2
    assert trial.events.filter(kind=OrderEvent.Kind.STATUS_CHANGED, note__contains=f"#{bought.pk}").exists()


@pytest.mark.django_db
def test_a_trial_that_does_not_fit_into_the_seats_is_refused_before_any_charge(demo):
    jonas = demo.membership("jonas")
    product = demo.product("power-bi-premium-per-user")
    trial = start_trial(membership=jonas, user=jonas.user, product=product, seats=5)
    from purchases.services import assign_license

    assign_license(subscription=trial, membership=demo.membership("greta"), actor=None)
    with pytest.raises(Exception, match="has 2 licenses assigned"):
        begin(demo, seats=1)
    assert not Checkout.objects.exists() and not Payment.objects.exists()


@pytest.mark.django_db
def test_someone_licensed_centrally_can_still_buy_seats_for_colleagues(demo):
    from purchases.services import assign_license, purchase_central_subscription

    central = purchase_central_subscription(
        tenant=demo.tenant("fabrikam"),
        product=demo.product("power-bi-premium-per-user"),
        seats=2,
        billing_period="monthly",
        actor=demo.user("greta"),
    )
    assign_license(subscription=central, membership=demo.membership("jonas"), actor=None)
    bought = pay(begin(demo, seats=3)).subscription
    assert bought.seats_assigned == 0 and central.licenses.filter(membership__user__email="jonas@fabrikam.example")
    assert Payment.objects.filter(status="succeeded").count() == 1


@pytest.mark.django_db
def test_a_trial_is_pointless_for_someone_who_has_the_product(demo):
    from purchases.services import assign_license, purchase_central_subscription

    central = purchase_central_subscription(
        tenant=demo.tenant("fabrikam"),
        product=demo.product("visio-plan-1"),
        seats=2,
        billing_period="monthly",
        actor=demo.user("greta"),
    )
    jonas = demo.membership("jonas")
    assign_license(subscription=central, membership=jonas, actor=None)
    with pytest.raises(Exception, match="already have a license of Visio Plan 1"):
        start_trial(membership=jonas, user=jonas.user, product=demo.product("visio-plan-1"), seats=1)


@pytest.mark.django_db
def test_reloading_the_card_page_after_the_bank_confirmed_completes_the_purchase(client, demo):
    checkout = begin(demo)
    outcome = pay(checkout, THREE_D_SECURE)
    client.force_login(demo.user("jonas"))
    url = reverse("selfservice:pay", args=[checkout.product.slug, checkout.token])
    page = client.get(url).content.decode()
    assert f'data-payment-intent-secret="{outcome.client_secret}"' in page  # the 3-D Secure step resumes
    authenticate_payment(outcome.client_secret, success=True)
    response = client.get(url)
    assert response.url == reverse("selfservice:done", args=[checkout.product.slug, checkout.token])
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_card_is_refused_with_a_clear_message(demo):
    checkout = begin(demo)
    intent = prepare_card_setup(checkout=checkout)
    with pytest.raises(gateway.PaymentDeclined) as declined:
        confirm_card(intent.id, "4000000000000069")  # Stripe's expired-card test number
    assert declined.value.message
    assert gateway.decline_message("expired_card") == "Your card has expired. Use another card."
    assert nothing_recorded()
