"""The vendor's support console: the cancellation queue and cancelling on an admin's behalf."""

import pytest
from django.core import mail
from django.urls import reverse

from purchases.models import OrderEvent, Refund, Subscription
from support.models import CancellationRequest
from support.services import request_cancellation
from tenants.models import AuditEvent
from tenants.scoping import available_access

pytestmark = pytest.mark.usefixtures("localstripe")


@pytest.fixture
def pbi(demo_purchases):
    return Subscription.objects.get(buyer__user__email="alex@contoso.example", product__slug="power-bi-pro")


@pytest.fixture
def request_from_gina(demo_purchases, pbi):
    access = next(a for a in available_access(demo_purchases.user("gina")) if a.tenant.slug == "contoso")
    return request_cancellation(
        access=access, actor=demo_purchases.user("gina"), subscription=pbi, reason="Centralized"
    )


@pytest.fixture
def agent(client, demo_purchases):
    client.force_login(demo_purchases.user("support"))
    return client


def act(client, item, **data):
    return client.post(reverse("support:act", args=[item.pk]), data, follow=True)


@pytest.mark.django_db
def test_the_queue_shows_open_requests(agent, request_from_gina):
    page = agent.get(reverse("support:queue")).content.decode()
    assert "Contoso" in page and "gina@contoso.example" in page and "global admin" in page
    assert "The queue is empty." in agent.get(reverse("support:queue"), {"status": "done"}).content.decode()


@pytest.mark.django_db
def test_an_agent_cancels_at_term_end_on_behalf_of_the_admin(
    agent, request_from_gina, pbi, demo_purchases, django_capture_on_commit_callbacks
):
    act(agent, request_from_gina, action="take")
    assert CancellationRequest.objects.get().status == "in_progress"
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            agent, request_from_gina, action="cancel", when="term_end", refund="window", note="Done as asked"
        )
    assert "Cancelled on behalf of the admin" in response.content.decode()
    pbi.refresh_from_db()
    assert pbi.cancelled_at is not None and pbi.status == "active" and not pbi.renews
    item = CancellationRequest.objects.get()
    assert (item.status, item.handled_by.email) == ("done", "support@seatwise.example")
    event = pbi.events.get(kind=OrderEvent.Kind.CANCELLED)
    assert event.actor_label == "support@seatwise.example"
    assert event.on_behalf_of == "gina@contoso.example (global admin)"
    assert Refund.objects.get().amount_minor == 7000  # bought today: inside the 7-day window
    assert sorted(m.to[0] for m in mail.outbox if "is cancelled" in m.subject) == [
        "alex@contoso.example",
        "gina@contoso.example",
    ]
    assert AuditEvent.objects.filter(action="support.cancelled", actor__email="support@seatwise.example").exists()


@pytest.mark.django_db
def test_an_immediate_cancellation_stops_the_licenses(agent, request_from_gina, pbi):
    act(agent, request_from_gina, action="cancel", when="now", refund="none")
    pbi.refresh_from_db()
    assert pbi.status == "cancelled" and pbi.licenses.count() == 0 and pbi.seats_assigned == 0
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_leaves_the_subscription(
    agent, request_from_gina, pbi, django_capture_on_commit_callbacks
):
    assert "Tell the admin why" in act(agent, request_from_gina, action="reject", message=" ").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(agent, request_from_gina, action="reject", message="The buyer holds a contract until June.")
    item = CancellationRequest.objects.get()
    assert item.status == "rejected" and item.resolution == "The buyer holds a contract until June."
    pbi.refresh_from_db()
    assert pbi.cancelled_at is None
    assert [m.to for m in mail.outbox if "declined" in m.subject] == [["gina@contoso.example"]]


@pytest.mark.django_db
def test_a_handled_request_cannot_be_handled_again(agent, request_from_gina):
    act(agent, request_from_gina, action="reject", message="No")
    response = act(agent, request_from_gina, action="cancel", when="now", refund="none")
    assert "already been handled" in response.content.decode()


@pytest.mark.django_db
def test_agents_find_subscriptions_by_buyer(agent, pbi):
    page = agent.get(reverse("support:queue"), {"q": "alex@contoso.example"}).content.decode()
    assert f'">{pbi.pk}</a></td>' in page and "Power BI Pro" in page
    detail = agent.get(reverse("support:subscription", args=[pbi.pk])).content.decode()
    assert "Contoso" in detail and "Purchased" in detail and "alex@contoso.example" in detail


@pytest.mark.parametrize("login", ["gina", "alex"])
@pytest.mark.django_db
def test_only_support_agents_use_the_console(client, demo_purchases, request_from_gina, login):
    client.force_login(demo_purchases.user(login))
    assert client.get(reverse("support:request", args=[request_from_gina.pk])).status_code == 403
    assert client.post(reverse("support:act", args=[request_from_gina.pk]), {"action": "take"}).status_code == 403
