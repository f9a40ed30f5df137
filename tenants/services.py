"""Writes that matter for organizations and people: one function per business action."""

from __future__ import annotations

import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import TenantError
from .models import (
    ApiToken,
    AuditEvent,
    DelegatedAdminRelationship,
    Domain,
    EmailDelivery,
    Membership,
    Notice,
    Tenant,
    User,
)
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
    actor_label: str = "",
) -> AuditEvent:
    """Append one line to the tenant's audit log (`actor_label` names a non-person, e.g. an API token)."""
    return AuditEvent.objects.create(
        tenant=tenant,
        actor=actor,
        actor_label=actor.email if actor else actor_label[:254],
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


def _guard_own_account(membership: Membership, actor: User) -> None:
    if membership.user_id == actor.pk:
        raise TenantError(_("You cannot change your own account here; ask another global admin."))


@transaction.atomic
def set_account_enabled(*, access: TenantAccess, actor: User, membership: Membership, enabled: bool) -> Membership:
    """Enable or disable an account. Subscriptions it bought keep running; licenses keep working."""
    membership = Membership.objects.for_tenant(access.tenant).select_for_update().get(pk=membership.pk)
    _guard_own_account(membership, actor)
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
    _guard_own_account(membership, actor)
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


def send_email_once(*, key: str, to: str, subject: str, body: str) -> bool:
    """Send one email per key: a task that runs twice sends it once. False when it was sent before."""
    with transaction.atomic():
        _delivery, created = EmailDelivery.objects.get_or_create(key=key, defaults={"to": to, "subject": subject})
        if not created:
            return False
        # Inside the transaction: if sending fails, the delivery row goes too and a retry sends again.
        send_mail(subject, body, None, [to])
    return True


def post_notice(*, recipient: Membership, key: str, title: str, body: str = "", link: str = "") -> bool:
    """Put a notice in one account's in-app list (once per key). False when it was already there."""
    _notice, created = Notice.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={"tenant_id": recipient.tenant_id, "title": title, "body": body, "link": link},
    )
    return created


API_TOKEN_PREFIX = "sw_"


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, tenant: Tenant, name: str, actor: User) -> tuple[ApiToken, str]:
    """A new API token for the tenant. Returns the token and its secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise TenantError(_("Give the token a name, e.g. the script that will use it."))
    prefix = secrets.token_hex(4)
    raw = f"{API_TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        tenant=tenant, name=name[:100], prefix=prefix, digest=_token_digest(raw), created_by=actor
    )
    record_audit_event(tenant=tenant, actor=actor, action="api_token.created", target=f"{name} ({prefix})")
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit_event(
            tenant=token.tenant, actor=actor, action="api_token.revoked", target=f"{token.name} ({token.prefix})"
        )
    return token


def authenticate_api_token(raw: str) -> ApiToken | None:
    """The usable token with this secret, or None. Marks it as used."""
    if not raw.startswith(API_TOKEN_PREFIX):
        return None
    token = ApiToken.objects.usable().select_related("tenant").filter(digest=_token_digest(raw)).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def mark_notices_read(*, membership: Membership) -> int:
    return Notice.objects.filter(recipient=membership, read_at__isnull=True).update(read_at=timezone.now())
