import pytest

from tenants.models import Domain
from tenants.selectors import tenant_for_email


@pytest.mark.django_db
def test_a_verified_domain_finds_its_tenant(demo):
    assert tenant_for_email("jonas@fabrikam.example") == demo.tenant("fabrikam")


@pytest.mark.django_db
def test_discovery_ignores_case_and_spaces(demo):
    assert tenant_for_email("  Alex@CONTOSO.Example ") == demo.tenant("contoso")


@pytest.mark.django_db
def test_an_unknown_domain_finds_nothing(demo):
    assert tenant_for_email("someone@unknown.example") is None


@pytest.mark.django_db
def test_an_unverified_domain_finds_nothing(demo):
    Domain.objects.create(tenant=demo.tenant("contoso"), name="contoso-pending.example", verified=False)
    assert tenant_for_email("alex@contoso-pending.example") is None


@pytest.mark.parametrize("email", ["", "no-at-sign", "@"])
@pytest.mark.django_db
def test_malformed_emails_find_nothing(demo, email):
    assert tenant_for_email(email) is None
