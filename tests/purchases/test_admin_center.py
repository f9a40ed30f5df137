"""Admin center actions: subscription detail, centralize, cancellation requests, partners, notices."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from purchases.errors import PurchaseError
from purchases.models import Channel, Invoice, LicenseAssignment, OrderEvent, Subscription
from purchases.services import assign_license, centralize, purchase_central_subscription
from support.models import CancellationRequest
from tenants.models import DelegatedAdminRelationship, Notice
from tenants.scoping import SESSION_KEY, available_access

pytestmark = pytest.mark.usefixtures("localstripe")


@pytest.fixture
def pbi(demo_purchases):
    return Subscription.objects.get(buyer__user__email="alex@contoso.example", product__slug="power-bi-pro")


def act_in_contoso(client, demo, login):
    client.force_login(demo.user(login))
    session = client.session
    session[SESSION_KEY] = str(demo.tenant("contoso").pk)
    session.save()


def gina_access(demo):
    return next(a for a in available_access(demo.user("gina")) if a.tenant.slug == "contoso")


@pytest.mark.django_db
def test_the_detail_shows_history_users_invoices_price_and_buyer(client, demo_purchases, pbi):
    act_in_contoso(client, demo_purchases, "gina")
    page = client.get(reverse("purchases:subscription", args=[pbi.pk])).content.decode()
    for text in (
        "Purchased",
        "alex@contoso.example",
        "Alex Wilber",
        "$14.00",
        "$70.00",
        pbi.invoices.get().number,
        "Message the buyer",
        "Centralize",
        "Request cancellation",
    ):
        assert text in page


@pytest.mark.django_db
def test_an_admin_downloads_an_invoice_pdf(client, demo_purchases, pbi):
    act_in_contoso(client, demo_purchases, "bill")
    response = client.get(reverse("purchases:invoice_pdf", args=[pbi.invoices.get().pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_an_admin_of_another_tenant_sees_nothing_of_contoso(client, demo_purchases, pbi):
    client.force_login(demo_purchases.user("greta"))
    for url in (
        reverse("purchases:subscription", args=[pbi.pk]),
        reverse("purchases:centralize", args=[pbi.pk]),
        reverse("purchases:request_cancellation", args=[pbi.pk]),
        reverse("purchases:invoice_pdf", args=[pbi.invoices.get().pk]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_centralizing_moves_every_user_and_asks_the_buyer_to_cancel(
    client, demo_purchases, pbi, django_capture_on_commit_callbacks
):
    assign_license(subscription=pbi, membership=demo_purchases.membership("sam"), actor=None)
    act_in_contoso(client, demo_purchases, "gina")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("purchases:centralize", args=[pbi.pk]),
            {"subscriptions": [pbi.pk], "seats": "10", "billing_period": "annual", "message": ""},
            follow=True,
        )
    assert "2 users moved onto it" in response.content.decode()
    central = Subscription.objects.get(channel=Channel.CENTRAL, product=pbi.product)
    pbi.refresh_from_db()
    assert (central.seats, central.seats_assigned, central.unit_price_minor) == (10, 2, 13300 * 1)  # $133/yr central
    assert pbi.seats_assigned == 0 and pbi.centralized_into == central
    assert set(central.licenses.values_list("membership__user__email", flat=True)) == {
        "alex@contoso.example",
        "sam@contoso.example",
    }
    invoice = central.invoices.get()
    assert (invoice.by_card, invoice.status, invoice.bill_to_name) == (False, "open", "Contoso")
    assert pbi.events.filter(kind=OrderEvent.Kind.CENTRALIZED).exists()
    assert pbi.events.filter(kind=OrderEvent.Kind.MESSAGE_SENT).exists()
    assert any(m.to == ["alex@contoso.example"] and "message from your admin" in m.subject for m in mail.outbox)
    assert Notice.objects.filter(recipient=demo_purchases.membership("alex")).exists()
    assert pbi.status == "active"  # only the buyer (or support) cancels it


@pytest.mark.django_db
def test_centralizing_fails_whole_when_it_fails_half_way(demo_purchases, pbi, monkeypatch):
    from purchases.services import centralization as module

    second = Subscription.objects.create(
        tenant=pbi.tenant,
        product=pbi.product,
        channel=Channel.SELF_SERVICE,
        buyer=demo_purchases.membership("bill"),
        billing_period="monthly",
        seats=2,
        unit_price_minor=1400,
        currency="USD",
        term_start=timezone.now(),
        term_end=timezone.now() + dt.timedelta(days=30),
    )
    assign_license(subscription=second, membership=demo_purchases.membership("bill"), actor=None)
    real_move, calls = module.move_licenses, []

    def move_then_fail(**kwargs):
        calls.append(kwargs["source"].pk)
        if len(calls) == 2:
            raise RuntimeError("the database went away half-way")
        return real_move(**kwargs)

    monkeypatch.setattr(module, "move_licenses", move_then_fail)
    with pytest.raises(RuntimeError):
        centralize(
            access=gina_access(demo_purchases),
            actor=demo_purchases.user("gina"),
            subscriptions=[pbi, second],
            billing_period="annual",
        )
    assert calls == sorted([pbi.pk, second.pk])
    assert not Subscription.objects.filter(channel=Channel.CENTRAL, product=pbi.product).exists()
    assert LicenseAssignment.objects.filter(subscription=pbi).count() == 1
    assert LicenseAssignment.objects.filter(subscription=second).count() == 1
    assert not Invoice.objects.filter(by_card=False, subscription__product=pbi.product).exists()


@pytest.mark.django_db
def test_centralizing_needs_enough_seats_for_the_people(demo_purchases, pbi):
    assign_license(subscription=pbi, membership=demo_purchases.membership("sam"), actor=None)
    with pytest.raises(PurchaseError, match="at least 2 seats"):
        centralize(
            access=gina_access(demo_purchases),
            actor=demo_purchases.user("gina"),
            subscriptions=[pbi],
            billing_period="monthly",
            seats=1,
        )
    assert pbi.licenses.count() == 2


@pytest.mark.django_db
def test_central_subscriptions_cannot_be_centralized(demo_purchases):
    central = Subscription.objects.get(channel=Channel.CENTRAL)
    with pytest.raises(PurchaseError, match="Only running self-service subscriptions"):
        centralize(
            access=gina_access(demo_purchases),
            actor=demo_purchases.user("gina"),
            subscriptions=[central],
            billing_period="monthly",
        )


@pytest.mark.django_db
def test_an_admin_requests_cancellation_with_a_reason(client, demo_purchases, pbi):
    act_in_contoso(client, demo_purchases, "bill")
    url = reverse("purchases:request_cancellation", args=[pbi.pk])
    assert "Give a reason" in client.post(url, {"reason": "  "}).content.decode()
    assert not CancellationRequest.objects.exists()
    client.post(url, {"reason": "Centralized under Contoso's agreement"})
    request = CancellationRequest.objects.get()
    assert (request.status, request.requester_role, request.requested_by_label) == (
        "new",
        "billing admin",
        "bill@contoso.example",
    )
    page = client.get(reverse("purchases:subscription", args=[pbi.pk])).content.decode()
    assert "Cancellation requested by bill@contoso.example" in page and "status: New" in page
    again = client.post(url, {"reason": "again"}).content.decode()
    assert "already with support" in again
    assert CancellationRequest.objects.count() == 1
    pbi.refresh_from_db()
    assert pbi.status == "active" and pbi.cancelled_at is None  # admins never cancel it themselves


@pytest.mark.django_db
def test_a_central_subscription_has_no_buyer_to_cancel_for(client, demo_purchases):
    act_in_contoso(client, demo_purchases, "gina")
    central = Subscription.objects.get(channel=Channel.CENTRAL)
    response = client.post(reverse("purchases:request_cancellation", args=[central.pk]), {"reason": "x"})
    assert "Central subscriptions are managed by your organization" in response.content.decode()


@pytest.mark.django_db
def test_message_the_buyer(client, demo_purchases, pbi, django_capture_on_commit_callbacks):
    act_in_contoso(client, demo_purchases, "gina")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("purchases:message_buyer", args=[pbi.pk]), {"message": "Please cancel by Friday."})
    assert any("Please cancel by Friday." in m.body for m in mail.outbox)
    client.force_login(demo_purchases.user("alex"))
    assert "Please cancel by Friday." in client.get(reverse("tenants:notices")).content.decode()


@pytest.mark.django_db
def test_a_partner_admin_buys_centrally_at_partner_prices(client, demo_purchases):
    act_in_contoso(client, demo_purchases, "pat")
    response = client.post(
        reverse("purchases:central_purchase"),
        {"product": "visio-plan-2", "seats": "4", "billing_period": "monthly"},
        follow=True,
    )
    subscription = Subscription.objects.get(product__slug="visio-plan-2")
    assert (subscription.channel, subscription.unit_price_minor, subscription.tenant.slug) == (
        "partner",
        1350,
        "contoso",
    )
    assert "Bought; the invoice goes to the organization." in response.content.decode()


@pytest.mark.django_db
def test_a_partner_whose_relationship_expired_gets_404_on_customer_objects(client, demo_purchases, pbi):
    act_in_contoso(client, demo_purchases, "pat")
    url = reverse("purchases:subscription", args=[pbi.pk])
    assert client.get(url).status_code == 200
    DelegatedAdminRelationship.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_admins_get_a_notice_of_each_new_self_service_purchase(client, demo_purchases, pbi):
    from purchases.notifications import notify_new_purchase

    notify_new_purchase(pbi.pk)
    notify_new_purchase(pbi.pk)  # a task that runs twice notifies once
    for login in ("gina", "bill"):
        assert Notice.objects.filter(recipient=demo_purchases.membership(login)).count() == 1
    client.force_login(demo_purchases.user("gina"))
    page = client.get(reverse("tenants:notices")).content.decode()
    assert "Alex Wilber bought Power BI Pro" in page


@pytest.mark.django_db
def test_central_purchase_errors_are_clear(demo_purchases):
    with pytest.raises(PurchaseError):
        purchase_central_subscription(
            tenant=demo_purchases.tenant("contoso"),
            product=demo_purchases.product("visio-plan-2"),
            seats=1,
            billing_period="monthly",
            actor=demo_purchases.user("gina"),
            channel=Channel.SELF_SERVICE,
        )


@pytest.mark.django_db
def test_disabling_a_buyer_keeps_their_subscription_and_its_licenses(client, demo_purchases, pbi):
    assign_license(subscription=pbi, membership=demo_purchases.membership("sam"), actor=None)
    act_in_contoso(client, demo_purchases, "gina")
    alex = demo_purchases.membership("alex")
    client.post(reverse("tenants:user_enabled", args=[alex.pk]), {"enabled": "0"})
    alex.refresh_from_db()
    pbi.refresh_from_db()
    assert not alex.enabled
    assert pbi.status == "active" and pbi.renews
    assert set(pbi.licenses.values_list("membership__user__email", flat=True)) == {
        "alex@contoso.example",
        "sam@contoso.example",
    }
    page = client.get(reverse("purchases:subscription", args=[pbi.pk])).content.decode()
    assert "account disabled" in page


@pytest.mark.django_db
def test_plain_text_emails_are_not_html_escaped(client, demo_purchases, pbi, django_capture_on_commit_callbacks):
    act_in_contoso(client, demo_purchases, "gina")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("purchases:message_buyer", args=[pbi.pk]), {"message": "It's O'Brien's call & yours."})
    assert "It's O'Brien's call & yours." in mail.outbox[-1].body
