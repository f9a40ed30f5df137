"""Writes for the self-service policy and its API tokens; every change lands in the audit log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases.models import Product
from tenants.errors import SeatwiseError
from tenants.models import Tenant, User
from tenants.services import record_audit_event

from .models import POLICY_ID, NewProductDefault, PolicyValue, SelfServicePolicy, SelfServiceSettings
from .selectors import effective_policies, effective_policy


class PolicyError(SeatwiseError):
    code = "invalid_policy"


def parse_policy_value(value: str) -> PolicyValue:
    """Accept the exact PowerShell values, case-insensitively; anything else is a clear error."""
    for choice in PolicyValue:
        if str(value).strip().lower() == choice.value.lower():
            return choice
    raise PolicyError(
        _("“%(value)s” is not a policy value. Use one of: %(values)s.")
        % {"value": value, "values": ", ".join(PolicyValue.values)},
        code="invalid_value",
    )


@transaction.atomic
def set_policy(
    *, tenant: Tenant, product: Product, value: str, actor: User | None, via: str, actor_label: str = ""
) -> SelfServicePolicy:
    """Set AllowSelfServicePurchase for one product; audited when the value changes."""
    new_value = parse_policy_value(value)
    policy, _created = SelfServicePolicy.objects.select_for_update().get_or_create(
        tenant=tenant, product=product, defaults={"value": effective_policy(tenant, product)}
    )
    if policy.value != new_value:
        old_value = policy.value
        policy.value = new_value
        policy.updated_at = timezone.now()
        policy.updated_by = actor
        policy.save(update_fields=["value", "updated_at", "updated_by"])
        record_audit_event(
            tenant=tenant,
            actor=actor,
            action=f"policy.{POLICY_ID}",
            target=product.slug,
            old_value=old_value,
            new_value=new_value,
            via=via,
            actor_label=actor_label,
        )
    return policy


@transaction.atomic
def set_policy_for_all(
    *, tenant: Tenant, value: str, actor: User | None, via: str, actor_label: str = ""
) -> list[SelfServicePolicy]:
    """Set the same value for every product in the catalog."""
    parse_policy_value(value)
    return [
        set_policy(tenant=tenant, product=p, value=value, actor=actor, via=via, actor_label=actor_label)
        for p in Product.objects.all()
    ]


@transaction.atomic
def set_default_for_new_products(*, tenant: Tenant, value: str, actor: User | None, via: str) -> SelfServiceSettings:
    """What products added to the catalog later start with. Products already listed keep their value."""
    if value not in NewProductDefault.values:
        raise PolicyError(
            _("The default for new products is Enabled or Disabled, not “%(value)s”.") % {"value": value},
            code="invalid_value",
        )
    settings, _created = SelfServiceSettings.objects.select_for_update().get_or_create(tenant=tenant)
    if settings.default_for_new_products == value:
        return settings
    # Pin today's products at their current value so only products added later follow the new default.
    current = effective_policies(tenant)
    existing = set(SelfServicePolicy.objects.for_tenant(tenant).values_list("product_id", flat=True))
    SelfServicePolicy.objects.bulk_create(
        SelfServicePolicy(tenant=tenant, product_id=product_id, value=current[product_id])
        for product_id in current
        if product_id not in existing
    )
    old = settings.default_for_new_products
    settings.default_for_new_products = value
    settings.updated_at = timezone.now()
    settings.save(update_fields=["default_for_new_products", "updated_at"])
    record_audit_event(
        tenant=tenant,
        actor=actor,
        action=f"policy.{POLICY_ID}.default_for_new_products",
        target="*",
        old_value=old,
        new_value=value,
        via=via,
    )
    return settings
