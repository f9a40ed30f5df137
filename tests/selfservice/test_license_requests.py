import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from purchases.models import Channel, LicenseAssignment, Subscription
from selfservice.license_requests import (
    LicenseRequestError,
    approve_license_request,
    expire_license_requests,
    reject_license_request,
    request_license,
)
from selfservice.models import LicenseRequest
from selfservice.services import set_policy
from tenants.models import Notice


@pytest.fixture
def blocked_visio(demo):
    set_policy(
        tenant=demo.tenant("contoso"), product=demo.product("visio-plan-2"), value="Disabled", actor=None, via="ui"
    )
    return demo.product("visio-plan-2")


@pytest.fixture
def central_visio(demo, blocked_visio):
    from purchases.services import purchase_central_subscription

    return purchase_central_subscription(
        tenant=demo.tenant("contoso"),
        product=blocked_visio,
        seats=3,
        billing_period="annual",
        actor=demo.user("gina"),
    )


@pytest.mark.django_db
def test_a_member_requests_a_license_for_themselves_and_a_colleague(
    client, demo, blocked_visio, django_capture_on_commit_callbacks
):
    client.force_login(demo.user("sam"))
    assert "Request a license" in client.get(reverse("selfservice:seats", args=["visio-plan-2"])).content.decode()
    alex = demo.membership("alex")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("selfservice:request_license", args=["visio-plan-2"]),
            {"colleagues": [alex.pk], "note": "Diagrams for the move"},
            follow=True,
        )
    assert "was sent to your admins" in response.content.decode()
    item = LicenseRequest.objects.get()
    assert item.status == "pending" and set(item.recipients.all()) == {alex, demo.membership("sam")}
    assert (item.expires_at - item.created_at).days == 30
    assert Notice.objects.filter(recipient=demo.membership("gina"), title="Sam Carter requests Visio Plan 2").exists()


@pytest.mark.django_db
def test_a_second_pending_request_for_the_same_product_is_refused(demo, blocked_visio):
    sam = demo.membership("sam")
    request_license(requester=sam, product=blocked_visio, colleagues=[])
    with pytest.raises(LicenseRequestError, match="already have a pending request"):
        request_license(requester=sam, product=blocked_visio, colleagues=[])
    assert LicenseRequest.objects.count() == 1


@pytest.mark.django_db
def test_colleagues_must_be_members_of_the_same_tenant(demo, blocked_visio):
    with pytest.raises(LicenseRequestError):
        request_license(requester=demo.membership("sam"), product=blocked_visio, colleagues=[demo.membership("jonas")])
    with pytest.raises(LicenseRequestError):
        request_license(
            requester=demo.membership("sam"),
            product=blocked_visio,
            colleagues=[demo.membership("guest@fabrikam.example")],
        )
    assert not LicenseRequest.objects.exists()


@pytest.mark.django_db
def test_an_admin_approves_by_assigning_from_a_subscription(
    client, demo, central_visio, django_capture_on_commit_callbacks
):
    item = request_license(
        requester=demo.membership("sam"), product=central_visio.product, colleagues=[demo.membership("alex")]
    )
    client.force_login(demo.user("bill"))
    page = client.get(reverse("selfservice:license_requests")).content.decode()
    assert "Sam Carter" in page and "3 of 3 seats free" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("selfservice:decide_license_request", args=[item.pk]),
            {"decision": "approve", f"{item.pk}-subscription": central_visio.pk, f"{item.pk}-message": "Enjoy"},
        )
    item.refresh_from_db()
    assert item.status == "approved" and item.subscription == central_visio
    assert set(
        LicenseAssignment.objects.filter(subscription=central_visio).values_list("membership__user__email", flat=True)
    ) == {"sam@contoso.example", "alex@contoso.example"}
    assert mail.outbox[-1].to == ["sam@contoso.example"] and "approved" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_approval_needs_enough_free_seats_and_assigns_nothing_otherwise(demo, central_visio):
    Subscription.objects.filter(pk=central_visio.pk).update(seats=1)
    item = request_license(
        requester=demo.membership("sam"), product=central_visio.product, colleagues=[demo.membership("alex")]
    )
    with pytest.raises(LicenseRequestError, match="1 free seats but the request needs 2"):
        approve_license_request(license_request=item, subscription=central_visio, actor=demo.user("gina"))
    assert not LicenseAssignment.objects.exists()
    assert LicenseRequest.objects.get().status == "pending"


@pytest.mark.django_db
def test_rejecting_needs_a_message_and_tells_the_requester(demo, blocked_visio, django_capture_on_commit_callbacks):
    item = request_license(requester=demo.membership("sam"), product=blocked_visio, colleagues=[])
    with pytest.raises(LicenseRequestError):
        reject_license_request(license_request=item, actor=demo.user("gina"), message=" ")
    with django_capture_on_commit_callbacks(execute=True):
        reject_license_request(license_request=item, actor=demo.user("gina"), message="Use Visio Plan 1")
    assert LicenseRequest.objects.get().status == "rejected"
    assert "Use Visio Plan 1" in mail.outbox[-1].body
    with pytest.raises(LicenseRequestError, match="already been handled"):
        reject_license_request(license_request=item, actor=demo.user("gina"), message="again")


@pytest.mark.django_db
def test_requests_expire_after_thirty_days(demo, blocked_visio):
    item = request_license(requester=demo.membership("sam"), product=blocked_visio, colleagues=[])
    with time_machine.travel(item.created_at + dt.timedelta(days=29), tick=False):
        assert expire_license_requests() == 0
    with time_machine.travel(item.created_at + dt.timedelta(days=30, seconds=1), tick=False):
        assert expire_license_requests() == 1
        assert expire_license_requests() == 0  # safe to run twice
    item.refresh_from_db()
    assert item.status == "expired"


@pytest.mark.django_db
def test_the_list_filters_pending_and_completed(client, demo, blocked_visio):
    item = request_license(requester=demo.membership("sam"), product=blocked_visio, colleagues=[])
    reject_license_request(license_request=item, actor=demo.user("gina"), message="No")
    request_license(requester=demo.membership("alex"), product=blocked_visio, colleagues=[])
    client.force_login(demo.user("gina"))
    pending = client.get(reverse("selfservice:license_requests"), {"status": "pending"}).content.decode()
    completed = client.get(reverse("selfservice:license_requests"), {"status": "completed"}).content.decode()
    assert "alex@contoso.example" in pending and "sam@contoso.example" not in pending
    assert "sam@contoso.example" in completed and "alex@contoso.example" not in completed


@pytest.mark.django_db
def test_another_tenants_request_is_not_found(client, demo, blocked_visio):
    item = request_license(requester=demo.membership("sam"), product=blocked_visio, colleagues=[])
    client.force_login(demo.user("greta"))
    response = client.post(
        reverse("selfservice:decide_license_request", args=[item.pk]), {"decision": "reject", "message": "no"}
    )
    assert response.status_code == 404
    assert LicenseRequest.objects.get().status == "pending"


def test_channel_values_are_stable():
    assert Channel.values == ["self_service", "central", "partner"]


@pytest.mark.django_db
def test_approving_when_a_colleague_was_disabled_meanwhile_says_so(client, demo, central_visio):
    item = request_license(
        requester=demo.membership("sam"), product=central_visio.product, colleagues=[demo.membership("alex")]
    )
    alex = demo.membership("alex")
    alex.enabled = False
    alex.save()
    client.force_login(demo.user("gina"))
    response = client.post(
        reverse("selfservice:decide_license_request", args=[item.pk]),
        {"decision": "approve", f"{item.pk}-subscription": central_visio.pk},
        follow=True,
    )
    assert response.status_code == 200 and "account is disabled" in response.content.decode()
    assert not LicenseAssignment.objects.exists()
    assert LicenseRequest.objects.get().status == "pending"
