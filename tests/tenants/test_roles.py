"""Role gating: every role of SPEC §1 against the pages each role may or may not use."""

import pytest
from django.urls import reverse

from tenants.scoping import SESSION_KEY

ADMIN_HOME = reverse("tenants:admin_home")
USERS = reverse("tenants:users")
SUPPORT = reverse("support:queue")
MY = reverse("selfservice:my_purchases")

# who: {page: expected status}; 302 = sent to the page their role uses instead.
MATRIX = {
    "alex": {ADMIN_HOME: 403, USERS: 403, SUPPORT: 403, MY: 200},
    "guest@fabrikam.example": {ADMIN_HOME: 403, USERS: 403, SUPPORT: 403, MY: 403},
    "gina": {ADMIN_HOME: 200, USERS: 200, SUPPORT: 403, MY: 200},
    "bill": {ADMIN_HOME: 200, USERS: 403, SUPPORT: 403, MY: 200},
    "pat": {ADMIN_HOME: 200, USERS: 403, SUPPORT: 403, MY: 403},
    "support": {ADMIN_HOME: 302, USERS: 302, SUPPORT: 200, MY: 302},
}


def act_as(client, demo, login):
    user = demo.user(login)
    client.force_login(user)
    if login == "pat":  # the partner admin works in the customer's tenant
        session = client.session
        session[SESSION_KEY] = str(demo.tenant("contoso").pk)
        session.save()
    return user


@pytest.mark.parametrize(
    ("login", "page", "expected"),
    [(login, page, status) for login, pages in MATRIX.items() for page, status in pages.items()],
)
@pytest.mark.django_db
def test_role_gating(client, demo, login, page, expected):
    act_as(client, demo, login)
    assert client.get(page).status_code == expected


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    for page in (ADMIN_HOME, USERS, SUPPORT, MY):
        response = client.get(page)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_guest_is_flagged_as_guest(client, demo):
    guest = demo.membership("guest@fabrikam.example")
    assert guest.is_guest
    act_as(client, demo, "guest@fabrikam.example")
    response = client.get(reverse("selfservice:catalog"))
    assert response.wsgi_request.access.is_guest
    assert not response.wsgi_request.access.is_member


@pytest.mark.django_db
def test_the_partner_admin_sees_the_customer_as_delegated_admin(client, demo):
    act_as(client, demo, "pat")
    response = client.get(ADMIN_HOME)
    assert "Admin center for Contoso" in response.content.decode()
    assert "delegated admin from Adatum Partners" in response.content.decode()


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use(client, demo):
    act_as(client, demo, "alex")
    page = client.get(reverse("selfservice:catalog")).content.decode()
    assert "My purchases" in page and "Admin center" not in page and "Support console" not in page
    act_as(client, demo, "bill")
    page = client.get(reverse("selfservice:catalog")).content.decode()
    assert "Admin center" in page


@pytest.mark.django_db
def test_a_buyer_reaches_the_restricted_view_of_their_own_purchases_only(client, demo_purchases):
    from purchases.models import Subscription

    mine = Subscription.objects.get(buyer__user__email="alex@contoso.example")
    central = Subscription.objects.get(channel="central")
    client.force_login(demo_purchases.user("alex"))
    assert client.get(reverse("selfservice:my_subscription", args=[mine.pk])).status_code == 200
    assert client.get(reverse("selfservice:my_subscription", args=[central.pk])).status_code == 404
    assert client.get(ADMIN_HOME).status_code == 403  # buying does not make anyone an admin
    client.force_login(demo_purchases.user("sam"))  # a member who bought nothing
    assert client.get(reverse("selfservice:my_subscription", args=[mine.pk])).status_code == 404
