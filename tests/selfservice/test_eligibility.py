"""The whole demo matrix: every demo user × every product → eligible, or exactly why not."""

import pytest

from purchases.demo import DEMO_PRODUCTS, PROJECT_AND_VISIO
from selfservice.eligibility import Reason, check_eligibility
from selfservice.models import PolicyValue
from selfservice.services import set_policy

R = Reason
EVERY_PRODUCT = list(DEMO_PRODUCTS)
POWER_PLATFORM = [slug for slug in EVERY_PRODUCT if slug not in PROJECT_AND_VISIO]

# login: (tenant slug, {product slug: expected reasons}); products not listed are eligible.
EXPECTED = {
    "alex": ("contoso", {}),
    "gina": ("contoso", {}),
    "bill": ("contoso", {}),
    "sam": ("contoso", {}),
    "dora": ("contoso", dict.fromkeys(EVERY_PRODUCT, (R.ACCOUNT_DISABLED,))),
    "guest@fabrikam.example": ("contoso", dict.fromkeys(EVERY_PRODUCT, (R.GUEST, R.UNMANAGED_DOMAIN))),
    "jonas": ("fabrikam", {}),
    "greta": ("fabrikam", {}),
    "ola": ("nordvind", {}),
    "kari": ("nordvind", {}),
    "teo": ("tailspin", dict.fromkeys(EVERY_PRODUCT, (R.TENANT_KIND,))),
    "gus": ("springfield", dict.fromkeys(EVERY_PRODUCT, (R.TENANT_KIND,))),
    "ana": ("brasil", dict.fromkeys(PROJECT_AND_VISIO, (R.MARKET,))),
    "ravi": ("bharat", dict.fromkeys(EVERY_PRODUCT, (R.MARKET,))),
    "pat": ("adatum", dict.fromkeys(EVERY_PRODUCT, (R.TENANT_KIND,))),
}


@pytest.mark.django_db
def test_every_demo_user_and_product(demo):
    seen = {}
    for login, (tenant_slug, blocked) in EXPECTED.items():
        user, tenant = demo.user(login), demo.tenant(tenant_slug)
        for slug in EVERY_PRODUCT:
            result = check_eligibility(user=user, tenant=tenant, product=demo.product(slug))
            seen[(login, slug)] = result.reasons
            assert result.reasons == blocked.get(slug, ()), (login, slug)
            assert result.can_buy == (slug not in blocked)
    assert len(seen) == len(EXPECTED) * len(EVERY_PRODUCT) == 120


@pytest.mark.django_db
def test_brazil_may_buy_power_platform(demo):
    for slug in POWER_PLATFORM:
        assert check_eligibility(
            user=demo.user("ana"), tenant=demo.tenant("brasil"), product=demo.product(slug)
        ).can_buy


@pytest.mark.parametrize(
    ("value", "reasons", "can_trial"),
    [
        (PolicyValue.DISABLED, (R.POLICY_DISABLED,), False),
        (PolicyValue.ONLY_TRIALS, (R.TRIALS_ONLY,), True),
        (PolicyValue.ENABLED, (), True),
    ],
)
@pytest.mark.django_db
def test_the_policy_decides_last(demo, value, reasons, can_trial):
    contoso, visio = demo.tenant("contoso"), demo.product("visio-plan-2")
    set_policy(tenant=contoso, product=visio, value=value, actor=None, via="command")
    result = check_eligibility(user=demo.user("alex"), tenant=contoso, product=visio)
    assert result.reasons == reasons
    assert result.can_trial is can_trial
    # Other tenants are untouched by Contoso's policy.
    assert check_eligibility(user=demo.user("jonas"), tenant=demo.tenant("fabrikam"), product=visio).can_buy


@pytest.mark.django_db
def test_reasons_accumulate_in_order(demo):
    springfield = demo.tenant("springfield")
    set_policy(tenant=springfield, product=demo.product("visio-plan-1"), value="Disabled", actor=None, via="ui")
    result = check_eligibility(user=demo.user("gus"), tenant=springfield, product=demo.product("visio-plan-1"))
    assert result.reasons == (R.TENANT_KIND, R.POLICY_DISABLED)


@pytest.mark.django_db
def test_someone_without_an_account_in_the_tenant_is_told_so(demo):
    result = check_eligibility(
        user=demo.user("jonas"), tenant=demo.tenant("contoso"), product=demo.product("power-bi-pro")
    )
    assert R.NO_ACCOUNT in result.reasons


@pytest.mark.django_db
def test_explanations_are_plain_words(demo):
    result = check_eligibility(
        user=demo.user("ravi"), tenant=demo.tenant("bharat"), product=demo.product("visio-plan-1")
    )
    assert result.explanations == ["Visio Plan 1 is not sold through self-service in India."]
    result = check_eligibility(
        user=demo.user("guest@fabrikam.example"), tenant=demo.tenant("contoso"), product=demo.product("power-bi-pro")
    )
    assert result.explanations == [
        "You are a guest in Contoso, and guests cannot buy in an organization they visit.",
        "Your email domain fabrikam.example is not a verified domain of Contoso.",
    ]
