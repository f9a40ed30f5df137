"""The tenant-scoping layer: another tenant's object is a 404; partner access ends with the relationship."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tenants.models import DelegatedAdminRelationship
from tenants.scoping import SESSION_KEY


@pytest.mark.django_db
def test_an_admin_cannot_touch_another_tenants_account(client, demo):
    client.force_login(demo.user("greta"))  # global admin of Fabrikam
    alex = demo.membership("alex")
    response = client.post(reverse("tenants:user_enabled", args=[alex.pk]), {"enabled": "0"})
    assert response.status_code == 404
    alex.refresh_from_db()
    assert alex.enabled


@pytest.mark.django_db
def test_an_admin_sees_only_their_own_tenants_people(client, demo):
    client.force_login(demo.user("greta"))
    page = client.get(reverse("tenants:users")).content.decode()
    assert "jonas@fabrikam.example" in page
    assert "contoso.example" not in page


@pytest.mark.django_db
def test_switching_to_a_tenant_without_access_is_refused(client, demo):
    client.force_login(demo.user("jonas"))
    response = client.post(reverse("tenants:switch"), {"tenant": str(demo.tenant("contoso").pk)}, follow=True)
    assert "You have no access to that organization." in response.content.decode()
    assert response.wsgi_request.access.tenant == demo.tenant("fabrikam")


@pytest.mark.django_db
def test_a_partner_admin_switches_to_the_customer(client, demo):
    client.force_login(demo.user("pat"))
    response = client.post(
        reverse("tenants:switch"), {"tenant": str(demo.tenant("contoso").pk), "next": reverse("tenants:admin_home")}
    )
    assert response.url == reverse("tenants:admin_home")
    assert client.get(reverse("tenants:admin_home")).wsgi_request.access.is_partner_admin


@pytest.mark.parametrize("ending", ["expired", "terminated"])
@pytest.mark.django_db
def test_a_partner_loses_access_as_soon_as_the_relationship_ends(client, demo, ending):
    client.force_login(demo.user("pat"))
    session = client.session
    session[SESSION_KEY] = str(demo.tenant("contoso").pk)
    session.save()
    assert client.get(reverse("tenants:admin_home")).wsgi_request.access.tenant == demo.tenant("contoso")

    relationship = DelegatedAdminRelationship.objects.get(customer=demo.tenant("contoso"))
    if ending == "expired":
        relationship.expires_at = timezone.now() - dt.timedelta(minutes=1)
    else:
        relationship.status = DelegatedAdminRelationship.Status.TERMINATED
    relationship.save()

    response = client.get(reverse("tenants:admin_home"))
    assert response.wsgi_request.access.tenant == demo.tenant("adatum")
    assert "Contoso" not in response.content.decode()


@pytest.mark.django_db
def test_the_open_redirect_is_closed_on_switch(client, demo):
    client.force_login(demo.user("pat"))
    response = client.post(
        reverse("tenants:switch"), {"tenant": str(demo.tenant("contoso").pk), "next": "https://evil.example/"}
    )
    assert response.url == reverse("start")
