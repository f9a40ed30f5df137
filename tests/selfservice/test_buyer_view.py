"""The buyer's restricted view: seats, licenses, invoices, the card, cancelling."""

import datetime as dt
import threading
import uuid

import pytest
import stripe
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from purchases import gateway
from purchases.errors import AlreadyLicensed, InvalidSeats, NotAssignable, SeatLimitReached
from purchases.models import Invoice, LicenseAssignment, OrderEvent, Payment, PaymentMethod, Refund, Subscription
from purchases.services import (
    add_seats,
    assign_license,
    assign_licenses,
    billing_account_for,
    cancel_subscription,
    issue_invoice,
    reduce_seats_next_term,
    term_line,
)
from support.models import CancellationRequest
from tenants.models import Membership
from tests.payments import DECLINED_AT_CHARGE, confirm_card

pytestmark = pytest.mark.usefixtures("localstripe")


@pytest.fixture
def pbi(demo_purchases):
    """Alex's Power BI Pro × 5, bought today with Visa 4242 ($14.00 a seat, monthly)."""
    return Subscription.objects.get(buyer__user__email="alex@contoso.example", product__slug="power-bi-pro")


@pytest.fixture
def alex(client, demo_purchases):
    client.force_login(demo_purchases.user("alex"))
    return client


def detail(subscription):
    return reverse("selfservice:my_subscription", args=[subscription.pk])


# Visibility ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_sees_their_purchases(alex, pbi):
    page = alex.get(reverse("selfservice:my_purchases")).content.decode()
    assert "Power BI Pro" in page
    assert "Project Plan 3" not in page  # the central subscription is the organization's, not alex's


@pytest.mark.parametrize("login", ["sam", "gina", "jonas"])
@pytest.mark.django_db
def test_nobody_else_sees_the_buyers_subscription(client, demo_purchases, pbi, login):
    client.force_login(demo_purchases.user(login))
    assert client.get(detail(pbi)).status_code == 404
    invoice = pbi.invoices.get()
    assert client.get(reverse("selfservice:invoice_pdf", args=[invoice.pk])).status_code == 404


# Seats -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_buying_more_seats_charges_the_prorated_amount_once(alex, pbi, demo_purchases):
    key = str(uuid.uuid4())
    url = reverse("selfservice:add_seats", args=[pbi.pk])
    preview = alex.post(url, {"seats": "2", "request_key": key}).content.decode()
    assert "Confirm and pay" in preview and "$28.00" in preview  # a whole month is left today
    assert Subscription.objects.get(pk=pbi.pk).seats == 5
    for _ in range(2):  # a double click posts twice
        alex.post(url, {"seats": "2", "request_key": key, "confirm": "1"})
    pbi.refresh_from_db()
    assert pbi.seats == 7
    invoice = pbi.invoices.get(kind=Invoice.Kind.SEATS_ADDED)
    assert (invoice.total_minor, invoice.status) == (2800, "paid")
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert pbi.events.filter(kind=OrderEvent.Kind.SEATS_ADDED).count() == 1


@pytest.mark.django_db
def test_seats_bought_mid_term_cost_only_the_days_left(pbi, demo_purchases):
    with time_machine.travel(pbi.term_start + dt.timedelta(days=15), tick=False):
        add_seats(subscription=pbi, seats=3, actor=demo_purchases.user("alex"), request_key="k")
    invoice = pbi.invoices.get(kind=Invoice.Kind.SEATS_ADDED)
    days = round((pbi.term_end - pbi.term_start) / dt.timedelta(days=1))
    expected = round(3 * 1400 * (days - 15) / days)
    assert invoice.total_minor == expected


@pytest.mark.django_db
def test_a_declined_card_adds_no_seats(pbi, demo_purchases):
    account = billing_account_for(demo_purchases.membership("alex"))
    intent = gateway.create_setup_intent(customer_id=account.gateway_customer_id)
    confirm_card(intent.id, DECLINED_AT_CHARGE)
    from purchases.services import replace_card

    replace_card(account=account, setup_intent_id=intent.id, actor=demo_purchases.user("alex"))
    with pytest.raises(gateway.PaymentDeclined):
        add_seats(subscription=pbi, seats=1, actor=demo_purchases.user("alex"), request_key="x")
    pbi.refresh_from_db()
    assert pbi.seats == 5
    assert not pbi.invoices.filter(kind=Invoice.Kind.SEATS_ADDED).exists()


@pytest.mark.parametrize("seats", [0, -1, 996])
@pytest.mark.django_db
def test_impossible_seat_additions_are_refused(pbi, demo_purchases, seats):
    with pytest.raises(InvalidSeats):
        add_seats(subscription=pbi, seats=seats, actor=demo_purchases.user("alex"), request_key="x")
    assert Subscription.objects.get(pk=pbi.pk).seats == 5


@pytest.mark.django_db
def test_seats_for_the_next_term_never_go_below_the_assigned(alex, pbi, demo_purchases):
    assign_license(subscription=pbi, membership=demo_purchases.membership("sam"), actor=None)
    with pytest.raises(InvalidSeats, match="2 licenses are assigned"):
        reduce_seats_next_term(subscription=pbi, seats=1, actor=demo_purchases.user("alex"))
    with pytest.raises(InvalidSeats):
        reduce_seats_next_term(subscription=pbi, seats=6, actor=demo_purchases.user("alex"))
    response = alex.post(reverse("selfservice:reduce_seats", args=[pbi.pk]), {"seats": "3"}, follow=True)
    assert "From the next term you pay for 3 licenses." in response.content.decode()
    pbi.refresh_from_db()
    assert (pbi.seats, pbi.next_term_seats) == (5, 3)


# Licenses --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buyer_assigns_and_unassigns_a_license(alex, pbi, demo_purchases):
    sam = demo_purchases.membership("sam")
    response = alex.post(reverse("selfservice:assign", args=[pbi.pk]), {"people": [sam.pk]}, follow=True)
    assert "License assigned to sam@contoso.example." in response.content.decode()
    pbi.refresh_from_db()
    assert pbi.seats_assigned == 2
    assignment = LicenseAssignment.objects.get(membership=sam)
    alex.post(reverse("selfservice:unassign", args=[pbi.pk, assignment.pk]))
    pbi.refresh_from_db()
    assert pbi.seats_assigned == 1 and not LicenseAssignment.objects.filter(membership=sam).exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("guest@fabrikam.example", "is a guest; licenses go to members only"),
        ("dora", "account is disabled"),
    ],
)
@pytest.mark.django_db
def test_guests_and_disabled_accounts_are_refused(alex, pbi, demo_purchases, who, message):
    person = demo_purchases.membership(who)
    response = alex.post(reverse("selfservice:assign", args=[pbi.pk]), {"people": [person.pk]}, follow=True)
    assert message in response.content.decode()
    assert LicenseAssignment.objects.filter(membership=person).count() == 0


@pytest.mark.django_db
def test_people_of_other_tenants_are_refused(alex, pbi, demo_purchases):
    jonas = demo_purchases.membership("jonas")
    response = alex.post(reverse("selfservice:assign", args=[pbi.pk]), {"people": [jonas.pk]}, follow=True)
    assert "only go to people in your own organization" in response.content.decode()
    with pytest.raises(NotAssignable):
        assign_license(subscription=pbi, membership=jonas, actor=None)
    assert not LicenseAssignment.objects.filter(membership=jonas).exists()


@pytest.mark.django_db
def test_someone_who_has_the_product_from_another_subscription_is_told_so(pbi, demo_purchases, localstripe):
    from tests.selfservice.test_checkout import begin, pay

    sam = demo_purchases.membership("sam")
    own = pay(begin(demo_purchases, login="sam", product="power-bi-pro", seats=1)).subscription
    assert own.licenses.filter(membership=sam).exists()
    with pytest.raises(AlreadyLicensed, match="already has Power BI Pro from another subscription"):
        assign_license(subscription=pbi, membership=sam, actor=None)


@pytest.mark.django_db
def test_no_more_licenses_than_seats(pbi, demo_purchases):
    contoso = demo_purchases.tenant("contoso")
    for login in ("sam", "bill", "gina"):
        assign_license(subscription=pbi, membership=demo_purchases.membership(login), actor=None)
    extra = [
        Membership.objects.create(
            user=type(demo_purchases.user("alex")).objects.create_user(
                email=f"new{i}@contoso.example", full_name=f"New {i}"
            ),
            tenant=contoso,
        )
        for i in range(2)
    ]
    assign_license(subscription=pbi, membership=extra[0], actor=None)
    with pytest.raises(SeatLimitReached, match="All 5 licenses are assigned"):
        assign_license(subscription=pbi, membership=extra[1], actor=None)


@pytest.mark.django_db
def test_bulk_assignment_is_all_or_nothing_and_at_most_twenty(pbi, demo_purchases):
    sam, guest = demo_purchases.membership("sam"), demo_purchases.membership("guest@fabrikam.example")
    with pytest.raises(NotAssignable):
        assign_licenses(subscription=pbi, memberships=[sam, guest], actor=None)
    assert not LicenseAssignment.objects.filter(membership=sam).exists()
    with pytest.raises(NotAssignable, match="at most 20"):
        assign_licenses(subscription=pbi, memberships=[sam] * 21, actor=None)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_assignments_on_five_seats_give_exactly_five(pbi, demo_purchases):
    contoso = demo_purchases.tenant("contoso")
    LicenseAssignment.objects.filter(subscription=pbi).delete()
    Subscription.objects.filter(pk=pbi.pk).update(seats_assigned=0)
    User = type(demo_purchases.user("alex"))
    people = [
        Membership.objects.create(user=User.objects.create_user(email=f"p{i}@contoso.example"), tenant=contoso)
        for i in range(20)
    ]
    outcomes = []
    start = threading.Barrier(len(people))

    def claim(person):
        try:
            start.wait()
            assign_license(subscription=pbi, membership=person, actor=None)
            outcomes.append("assigned")
        except SeatLimitReached:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pbi.refresh_from_db()
    assert outcomes.count("assigned") == 5 and outcomes.count("full") == 15
    assert LicenseAssignment.objects.filter(subscription=pbi).count() == 5 == pbi.seats_assigned


@pytest.mark.django_db
def test_the_database_refuses_more_assignments_than_seats(pbi):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.filter(pk=pbi.pk).update(seats_assigned=6)


@pytest.mark.django_db
def test_people_search_lists_only_assignable_members(alex, pbi):
    page = alex.get(reverse("selfservice:people_search", args=[pbi.pk]), {"q": "a"}).content.decode()
    assert "sam@contoso.example" in page
    assert "guest@fabrikam.example" not in page and "dora@" not in page
    assert "alex@contoso.example" not in page  # already has a license


# Invoices --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_invoice_downloads_as_pdf(alex, pbi):
    invoice = pbi.invoices.get()
    response = alex.get(reverse("selfservice:invoice_pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) > 1000


@pytest.mark.django_db
def test_a_failed_invoice_is_paid_from_the_buyer_view(alex, pbi):
    from django.db import transaction

    with transaction.atomic():
        failed = issue_invoice(
            subscription=pbi,
            account=pbi.buyer.billing_account,
            kind=Invoice.Kind.RENEWAL,
            lines=[term_line(pbi, seats=5, start=pbi.term_start, end=pbi.term_end)],
            by_card=True,
            issued_at=timezone.now(),
        )
        failed.status = Invoice.Status.FAILED
        failed.save(update_fields=["status"])
    Subscription.objects.filter(pk=pbi.pk).update(status=Subscription.Status.PAST_DUE)
    page = alex.get(reverse("selfservice:invoice", args=[failed.pk])).content.decode()
    assert "Pay $70.00 with Visa •••• 4242" in page
    response = alex.post(reverse("selfservice:invoice_pay", args=[failed.pk]), follow=True)
    assert f"Invoice {failed.number} is paid." in response.content.decode()
    failed.refresh_from_db()
    pbi.refresh_from_db()
    assert failed.status == "paid" and pbi.status == "active"


@pytest.mark.django_db
def test_issued_invoices_cannot_be_edited(pbi):
    invoice = pbi.invoices.get()
    invoice.total_minor = 1
    with pytest.raises(TypeError):
        invoice.save()
    with pytest.raises(TypeError):
        invoice.delete()


# The card --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_replacing_the_card_detaches_the_old_one(alex, pbi, demo_purchases):
    old = PaymentMethod.objects.get()
    account = old.account
    intent = gateway.create_setup_intent(customer_id=account.gateway_customer_id)
    confirm_card(intent.id, "5555555555554444")
    response = alex.post(reverse("selfservice:payment_method"), {"setup_intent": intent.id}, follow=True)
    assert "Your card is now" in response.content.decode()
    old.refresh_from_db()
    new = account.default_card
    assert new.last4 == "4444" and old.detached_at is not None and not old.is_default
    gateway._configure()
    assert stripe.PaymentMethod.retrieve(old.gateway_payment_method_id).customer is None
    assert pbi.events.filter(kind=OrderEvent.Kind.PAYMENT_METHOD_CHANGED).exists()


@pytest.mark.django_db
def test_an_unconfirmed_card_is_refused(alex, pbi):
    response = alex.post(reverse("selfservice:payment_method"), {"setup_intent": "seti_forged"})
    assert "refused the request" in response.content.decode() or "not confirmed" in response.content.decode()
    assert PaymentMethod.objects.count() == 1


# Cancelling ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_within_seven_days_refunds_in_full_and_runs_to_term_end(alex, pbi):
    page = alex.get(reverse("selfservice:cancel", args=[pbi.pk])).content.decode()
    assert "$70.00 is refunded to your card" in page
    alex.post(reverse("selfservice:cancel", args=[pbi.pk]), {"reason": "Not needed"})
    pbi.refresh_from_db()
    assert pbi.status == "active" and not pbi.auto_renew and pbi.cancelled_at is not None
    assert pbi.licenses.count() == 1  # licenses keep working until the term ends
    refund = Refund.objects.get()
    assert refund.amount_minor == 7000
    gateway._configure()
    assert stripe.Refund.retrieve(refund.gateway_refund_id).amount == 7000
    assert pbi.invoices.get().status == "refunded"


@pytest.mark.parametrize(
    ("after", "refunded"),
    [
        (dt.timedelta(days=7) - dt.timedelta(seconds=1), True),
        (dt.timedelta(days=7), True),
        (dt.timedelta(days=7, seconds=1), False),
        (dt.timedelta(days=20), False),
    ],
)
@pytest.mark.django_db
def test_the_refund_window_edges(pbi, demo_purchases, after, refunded):
    with time_machine.travel(pbi.term_start + after, tick=False):
        cancel_subscription(subscription=pbi, actor=demo_purchases.user("alex"))
    assert Refund.objects.exists() is refunded
    pbi.refresh_from_db()
    assert pbi.cancelled_at is not None and pbi.status == "active"


@pytest.mark.django_db
def test_cancelling_closes_an_admins_pending_request(alex, pbi, demo_purchases):
    request = CancellationRequest.objects.create(
        tenant=pbi.tenant,
        subscription=pbi,
        requested_by=demo_purchases.user("gina"),
        requested_by_label="gina@contoso.example",
        reason="We centralized it",
    )
    alex.post(reverse("selfservice:cancel", args=[pbi.pk]), {"reason": ""})
    request.refresh_from_db()
    assert request.status == "resolved_by_buyer"


@pytest.mark.django_db
def test_a_cancelled_subscription_cannot_be_cancelled_or_grown_again(pbi, demo_purchases):
    cancel_subscription(subscription=pbi, actor=demo_purchases.user("alex"))
    with pytest.raises(Exception, match="already cancelled"):
        cancel_subscription(subscription=pbi, actor=demo_purchases.user("alex"))
    with pytest.raises(Exception, match="cancelled or ended"):
        add_seats(subscription=pbi, seats=1, actor=demo_purchases.user("alex"), request_key="z")


def failed_invoice(pbi):
    from django.db import transaction

    with transaction.atomic():
        invoice = issue_invoice(
            subscription=pbi,
            account=pbi.buyer.billing_account,
            kind=Invoice.Kind.RENEWAL,
            lines=[term_line(pbi, seats=5, start=pbi.term_start, end=pbi.term_end)],
            by_card=True,
            issued_at=timezone.now(),
        )
        invoice.status = Invoice.Status.FAILED
        invoice.save(update_fields=["status"])
    return invoice


def use_card(demo, number):
    from purchases.services import replace_card

    account = billing_account_for(demo.membership("alex"))
    intent = gateway.create_setup_intent(customer_id=account.gateway_customer_id)
    confirm_card(intent.id, number)
    return replace_card(account=account, setup_intent_id=intent.id, actor=demo.user("alex"))


@pytest.mark.django_db
def test_a_foreign_payment_cannot_pay_an_invoice(alex, pbi):
    invoice = failed_invoice(pbi)
    someone_elses = Payment.objects.get(invoice__kind="purchase").gateway_payment_id
    response = alex.post(
        reverse("selfservice:invoice_pay", args=[invoice.pk]), {"payment_intent": someone_elses}, follow=True
    )
    assert "does not belong to this invoice" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "failed"


@pytest.mark.django_db
def test_a_declined_invoice_payment_is_recorded_and_can_be_retried(alex, pbi, demo_purchases):
    invoice = failed_invoice(pbi)
    use_card(demo_purchases, DECLINED_AT_CHARGE)
    response = alex.post(reverse("selfservice:invoice_pay", args=[invoice.pk]), follow=True)
    assert "declined" in response.content.decode()
    attempt = invoice.payments.get()
    assert (attempt.status, attempt.attempt) == ("failed", 1)
    assert pbi.events.filter(kind=OrderEvent.Kind.PAYMENT_FAILED).exists()
    use_card(demo_purchases, "4242424242424242")
    alex.post(reverse("selfservice:invoice_pay", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    assert list(invoice.payments.order_by("attempt").values_list("attempt", "status")) == [
        (1, "failed"),
        (2, "succeeded"),
    ]


@pytest.mark.django_db
def test_seats_cannot_be_added_once_the_term_has_ended(pbi, demo_purchases):
    with (
        time_machine.travel(pbi.term_end + dt.timedelta(minutes=1), tick=False),
        pytest.raises(Exception, match="This term has ended"),
    ):
        add_seats(subscription=pbi, seats=500, actor=demo_purchases.user("alex"), request_key="late")
    assert Subscription.objects.get(pk=pbi.pk).seats == 5


@pytest.mark.django_db
def test_licenses_must_fit_the_seats_kept_for_the_next_term(pbi, demo_purchases):
    reduce_seats_next_term(subscription=pbi, seats=1, actor=demo_purchases.user("alex"))
    with pytest.raises(SeatLimitReached, match="keeps 1 licenses"):
        assign_license(subscription=pbi, membership=demo_purchases.membership("sam"), actor=None)


@pytest.mark.django_db
def test_a_nul_character_in_a_search_is_harmless(alex, pbi, client, demo_purchases):
    assert alex.get(reverse("selfservice:people_search", args=[pbi.pk]), {"q": "a\x00b"}).status_code == 200
    client.force_login(demo_purchases.user("gina"))
    assert client.get(reverse("tenants:users"), {"q": "a\x00b"}).status_code == 200
    client.force_login(demo_purchases.user("support"))
    assert client.get(reverse("support:queue"), {"q": "a\x00b"}).status_code == 200
    assert client.get(reverse("support:queue"), {"q": "²"}).status_code == 200
    assert client.get(reverse("support:queue"), {"q": "9" * 30}).status_code == 200
