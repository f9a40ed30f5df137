import pytest
from django.core.management import call_command

from purchases.models import Invoice, LicenseAssignment, OrderEvent, Payment, Price, Product, Subscription
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
        "products": sorted(Product.objects.values_list("slug", flat=True)),
        "prices": Price.objects.count(),
        "subscriptions": sorted(
            Subscription.objects.values_list("product__slug", "channel", "seats", "seats_assigned", "status")
        ),
        "invoices": sorted(Invoice.objects.values_list("number", "status", "total_minor")),
        "payments": Payment.objects.count(),
        "licenses": sorted(LicenseAssignment.objects.values_list("membership__user__email", "product__slug")),
        "history": sorted(OrderEvent.objects.values_list("kind", "subscription__product__slug")),
    }


@pytest.mark.django_db
def test_seed_demo_creates_spec_section_9_and_is_idempotent(localstripe):
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
    assert len(first["products"]) == 8 and first["prices"] == 8 * 5 * 3 * 2
    assert first["subscriptions"] == [
        ("power-bi-pro", "self_service", 5, 1, "active"),
        ("project-plan-3", "central", 10, 0, "active"),
    ]
    assert [status for _number, status, _total in first["invoices"]] == ["paid", "open"]
    assert first["payments"] == 1
    assert first["licenses"] == [("alex@contoso.example", "power-bi-pro")]
    assert ("purchased", "power-bi-pro") in first["history"] and ("payment_succeeded", "power-bi-pro") in first[
        "history"
    ]
