import pytest
from django.core.management import call_command

from tenants.models import AuditEvent, DelegatedAdminRelationship, Domain, Membership, Tenant, User


def snapshot():
    return {
        "tenants": sorted(Tenant.objects.values_list("slug", "kind", "country", "currency")),
        "domains": sorted(Domain.objects.values_list("name", "verified", "tenant__slug")),
        "users": sorted(User.objects.values_list("email", "is_active", "is_support_agent")),
        "memberships": sorted(
            Membership.objects.values_list(
                "user__email", "tenant__slug", "kind", "source", "enabled", "is_global_admin", "is_billing_admin"
            )
        ),
        "relationships": sorted(DelegatedAdminRelationship.objects.values_list("partner__slug", "customer__slug")),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_creates_spec_section_9_and_is_idempotent():
    call_command("seed_demo", quiet_logins=True)
    first = snapshot()
    call_command("seed_demo", quiet_logins=True)
    assert snapshot() == first

    assert len(first["tenants"]) == 8
    assert ("tailspin", "education", "US", "USD") in first["tenants"]
    assert ("springfield", "government", "US", "USD") in first["tenants"]
    assert ("guest@fabrikam.example", "contoso", "guest", "cloud", True, False, False) in first["memberships"]
    assert ("dora@contoso.example", "contoso", "member", "cloud", False, False, False) in first["memberships"]
    assert ("sam@contoso.example", "contoso", "member", "synced", True, False, False) in first["memberships"]
    assert ("pat@adatum.example", "adatum", "member", "cloud", True, True, False) in first["memberships"]
    assert first["relationships"] == [("adatum", "contoso")]
    assert ("support@seatwise.example", True, True) in first["users"]
