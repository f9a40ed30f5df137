"""Writes that matter for organizations and people: one function per business action."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _

from .errors import TenantError
from .models import AuditEvent, DelegatedAdminRelationship, Domain, Membership, Tenant, User
from .scoping import TenantAccess


def record_audit_event(
    *,
    tenant: Tenant,
    actor: User | None,
    action: str,
    target: str = "",
    old_value: str = "",
    new_value: str = "",
    via: str = AuditEvent.Channel.UI,
) -> AuditEvent:
    """Append one line to the tenant's audit log."""
    return AuditEvent.objects.create(
        tenant=tenant,
        actor=actor,
        actor_label=actor.email if actor else "",
        action=action,
        target=target,
        old_value=old_value,
        new_value=new_value,
        via=via,
    )


@transaction.atomic
def create_tenant(
    *, name: str, slug: str, kind: str, country: str, currency: str, domains: list[str], managed: bool = True
) -> Tenant:
    """Create an organization with its verified domains (or return the existing one, unchanged)."""
    tenant, _created = Tenant.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "kind": kind, "country": country, "currency": currency, "managed": managed},
    )
    for domain in domains:
        Domain.objects.get_or_create(name=domain.lower(), defaults={"tenant": tenant, "verified": True})
    return tenant


@transaction.atomic
def provision_account(
    *,
    tenant: Tenant,
    email: str,
    full_name: str,
    password: str | None = None,
    kind: str = Membership.Kind.MEMBER,
    source: str = Membership.Source.CLOUD,
    enabled: bool = True,
    is_global_admin: bool = False,
    is_billing_admin: bool = False,
) -> Membership:
    """Give a person an account in a tenant, creating the person when they are new.

    Existing people keep their password; an existing account is left as it is.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    membership, _created = Membership.objects.get_or_create(
        user=user,
        tenant=tenant,
        defaults={
            "kind": kind,
            "source": source,
            "enabled": enabled,
            "is_global_admin": is_global_admin,
            "is_billing_admin": is_billing_admin,
        },
    )
    return membership


@transaction.atomic
def grant_delegated_admin(*, partner: Tenant, customer: Tenant, expires_at=None) -> DelegatedAdminRelationship:
    """Let a partner tenant's admins administer the customer (idempotent)."""
    if not partner.is_partner:
        raise TenantError(_("Only partner organizations can hold delegated admin rights."))
    relationship, _created = DelegatedAdminRelationship.objects.get_or_create(
        partner=partner, customer=customer, defaults={"expires_at": expires_at}
    )
    return relationship


def _guard_own_account(access: TenantAccess, membership: Membership, actor: User) -> None:
    if membership.user_id == actor.pk:
        raise TenantError(_("You cannot change your own account here; ask another global admin."))


@transaction.atomic
def set_account_enabled(*, access: TenantAccess, actor: User, membership: Membership, enabled: bool) -> Membership:
    """Enable or disable an account. Subscriptions it bought keep running; licenses keep working."""
    membership = Membership.objects.for_tenant(access.tenant).select_for_update().get(pk=membership.pk)
    _guard_own_account(access, membership, actor)
    if membership.enabled == enabled:
        return membership
    membership.enabled = enabled
    membership.save(update_fields=["enabled"])
    record_audit_event(
        tenant=access.tenant,
        actor=actor,
        action="account.enabled" if enabled else "account.disabled",
        target=membership.user.email,
        old_value=str(not enabled),
        new_value=str(enabled),
    )
    return membership


@transaction.atomic
def set_admin_roles(
    *, access: TenantAccess, actor: User, membership: Membership, is_global_admin: bool, is_billing_admin: bool
) -> Membership:
    """Change an account's admin roles. Guests hold none; nobody changes their own (a global admin remains)."""
    membership = Membership.objects.for_tenant(access.tenant).select_for_update().get(pk=membership.pk)
    _guard_own_account(access, membership, actor)
    if membership.is_guest and (is_global_admin or is_billing_admin):
        raise TenantError(_("Guests cannot hold admin roles."))
    old = ", ".join(membership.role_labels) or "-"
    membership.is_global_admin = is_global_admin
    membership.is_billing_admin = is_billing_admin
    membership.save(update_fields=["is_global_admin", "is_billing_admin"])
    new = ", ".join(membership.role_labels) or "-"
    if old != new:
        record_audit_event(
            tenant=access.tenant,
            actor=actor,
            action="account.roles",
            target=membership.user.email,
            old_value=old,
            new_value=new,
        )
    return membership
