import pytest
from django.urls import reverse

from tenants.models import AuditEvent


@pytest.mark.django_db
def test_a_global_admin_disables_and_enables_an_account(client, demo):
    client.force_login(demo.user("gina"))
    sam = demo.membership("sam")
    response = client.post(reverse("tenants:user_enabled", args=[sam.pk]), {"enabled": "0"}, follow=True)
    assert "sam@contoso.example is disabled" in response.content.decode()
    sam.refresh_from_db()
    assert not sam.enabled
    assert AuditEvent.objects.for_tenant(demo.tenant("contoso")).filter(action="account.disabled").count() == 1

    client.post(reverse("tenants:user_enabled", args=[sam.pk]), {"enabled": "1"})
    sam.refresh_from_db()
    assert sam.enabled


@pytest.mark.django_db
def test_an_admin_cannot_disable_themselves(client, demo):
    gina = demo.membership("gina")
    client.force_login(gina.user)
    response = client.post(reverse("tenants:user_enabled", args=[gina.pk]), {"enabled": "0"}, follow=True)
    assert "You cannot change your own account here" in response.content.decode()
    gina.refresh_from_db()
    assert gina.enabled


@pytest.mark.django_db
def test_a_global_admin_grants_the_billing_admin_role(client, demo):
    client.force_login(demo.user("gina"))
    alex = demo.membership("alex")
    client.post(reverse("tenants:user_roles", args=[alex.pk]), {"is_billing_admin": "on"})
    alex.refresh_from_db()
    assert alex.is_billing_admin and not alex.is_global_admin
    event = AuditEvent.objects.get(action="account.roles")
    assert (event.old_value, event.new_value, event.actor_label) == ("-", "Billing admin", "gina@contoso.example")


@pytest.mark.django_db
def test_guests_cannot_be_made_admins(client, demo):
    client.force_login(demo.user("gina"))
    guest = demo.membership("guest@fabrikam.example")
    response = client.post(reverse("tenants:user_roles", args=[guest.pk]), {"is_global_admin": "on"}, follow=True)
    assert "Guests cannot hold admin roles." in response.content.decode()
    guest.refresh_from_db()
    assert not guest.is_global_admin


@pytest.mark.django_db
def test_a_billing_admin_cannot_manage_users(client, demo):
    client.force_login(demo.user("bill"))
    sam = demo.membership("sam")
    assert client.post(reverse("tenants:user_enabled", args=[sam.pk]), {"enabled": "0"}).status_code == 403
    sam.refresh_from_db()
    assert sam.enabled


@pytest.mark.django_db
def test_users_can_be_searched(client, demo):
    client.force_login(demo.user("gina"))
    page = client.get(reverse("tenants:users"), {"q": "carter"}).content.decode()
    assert "sam@contoso.example" in page
    assert "alex@contoso.example" not in page


@pytest.mark.django_db
def test_the_audit_log_is_append_only(demo):
    event = AuditEvent.objects.create(tenant=demo.tenant("contoso"), action="x")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(action="y")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
