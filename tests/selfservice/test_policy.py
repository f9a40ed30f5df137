import pytest
from django.urls import reverse

from purchases.models import Product
from selfservice.models import PolicyValue, SelfServicePolicy
from selfservice.selectors import effective_policies, effective_policy
from selfservice.services import PolicyError, set_default_for_new_products, set_policy, set_policy_for_all
from tenants.models import AuditEvent


@pytest.mark.django_db
def test_every_product_starts_enabled(demo):
    assert set(effective_policies(demo.tenant("contoso")).values()) == {PolicyValue.ENABLED}


@pytest.mark.django_db
def test_a_change_is_audited_with_who_when_old_new_and_channel(demo):
    contoso, gina = demo.tenant("contoso"), demo.user("gina")
    set_policy(tenant=contoso, product=demo.product("power-bi-pro"), value="Disabled", actor=gina, via="ui")
    event = AuditEvent.objects.for_tenant(contoso).get()
    assert (event.action, event.target, event.old_value, event.new_value, event.via, event.actor) == (
        "policy.AllowSelfServicePurchase",
        "power-bi-pro",
        "Enabled",
        "Disabled",
        "ui",
        gina,
    )


@pytest.mark.django_db
def test_setting_the_same_value_again_changes_nothing(demo):
    contoso = demo.tenant("contoso")
    set_policy(tenant=contoso, product=demo.product("power-bi-pro"), value="Enabled", actor=None, via="api")
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("bad", ["", "enable", "True", "OnlyTrials"])
@pytest.mark.django_db
def test_an_unknown_value_is_refused_and_changes_nothing(demo, bad):
    with pytest.raises(PolicyError) as refusal:
        set_policy(tenant=demo.tenant("contoso"), product=demo.product("power-bi-pro"), value=bad, actor=None, via="ui")
    assert "is not a policy value" in refusal.value.message
    assert SelfServicePolicy.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_values_are_accepted_in_any_case_like_powershell(demo):
    policy = set_policy(
        tenant=demo.tenant("contoso"),
        product=demo.product("power-bi-pro"),
        value="onlytrialswithoutpaymentmethod",
        actor=None,
        via="command",
    )
    assert policy.value == PolicyValue.ONLY_TRIALS


@pytest.mark.django_db
def test_setting_all_products_at_once(demo):
    set_policy_for_all(tenant=demo.tenant("nordvind"), value="Disabled", actor=None, via="ui")
    assert set(effective_policies(demo.tenant("nordvind")).values()) == {PolicyValue.DISABLED}
    assert set(effective_policies(demo.tenant("contoso")).values()) == {PolicyValue.ENABLED}


@pytest.mark.django_db
def test_the_default_for_new_products_applies_only_to_products_added_later(demo):
    contoso = demo.tenant("contoso")
    set_default_for_new_products(tenant=contoso, value="Disabled", actor=demo.user("gina"), via="ui")
    assert effective_policy(contoso, demo.product("power-bi-pro")) == PolicyValue.ENABLED
    newcomer = Product.objects.create(name="Power Pages", slug="power-pages")
    assert effective_policy(contoso, newcomer) == PolicyValue.DISABLED
    assert effective_policy(demo.tenant("fabrikam"), newcomer) == PolicyValue.ENABLED


@pytest.mark.django_db
def test_without_a_default_a_product_added_later_starts_enabled(demo):
    newcomer = Product.objects.create(name="Power Pages", slug="power-pages")
    assert effective_policy(demo.tenant("contoso"), newcomer) == PolicyValue.ENABLED


@pytest.mark.django_db
def test_a_billing_admin_changes_the_policy_in_the_admin_center(client, demo):
    client.force_login(demo.user("bill"))
    response = client.post(
        reverse("selfservice:change_policy"), {"product": "visio-plan-1", "value": "Disabled"}, follow=True
    )
    assert "Visio Plan 1: Disabled." in response.content.decode()
    assert effective_policy(demo.tenant("contoso"), demo.product("visio-plan-1")) == "Disabled"
    page = client.get(reverse("selfservice:settings")).content.decode()
    assert "bill@contoso.example" in page and "Enabled → Disabled" in page


@pytest.mark.django_db
def test_a_bad_value_from_the_page_is_a_clear_message(client, demo):
    client.force_login(demo.user("gina"))
    response = client.post(reverse("selfservice:change_policy"), {"scope": "all", "value": "Maybe"}, follow=True)
    assert "“Maybe” is not a policy value" in response.content.decode()
    assert SelfServicePolicy.objects.count() == 0


@pytest.mark.parametrize("login", ["alex", "pat"])
@pytest.mark.django_db
def test_members_and_partners_cannot_change_the_policy(client, demo, login):
    from tenants.scoping import SESSION_KEY

    client.force_login(demo.user(login))
    session = client.session
    session[SESSION_KEY] = str(demo.tenant("contoso").pk)
    session.save()
    response = client.post(reverse("selfservice:change_policy"), {"product": "visio-plan-1", "value": "Disabled"})
    assert response.status_code == 403
    assert SelfServicePolicy.objects.count() == 0
