"""The one tenant-scoping layer.

`ActiveTenantMiddleware` resolves which tenant the signed-in user is acting in and with which
rights (`request.access`, a `TenantAccess`). Views state who may enter with one decorator;
tenant data is then read through `Model.objects.for_tenant(request.access.tenant)`, so an
object of another tenant is simply not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import DelegatedAdminRelationship, Membership, Tenant

SESSION_KEY = "seatwise_active_tenant"


@dataclass(frozen=True)
class TenantAccess:
    """What the current user may do in one tenant: through their own account or as its partner."""

    tenant: Tenant
    membership: Membership | None = None
    relationship: DelegatedAdminRelationship | None = None

    @property
    def is_member(self) -> bool:
        m = self.membership
        return bool(m and m.enabled and m.kind == Membership.Kind.MEMBER)

    @property
    def is_guest(self) -> bool:
        return bool(self.membership and self.membership.is_guest)

    @property
    def is_global_admin(self) -> bool:
        return bool(self.membership and self.membership.enabled and self.membership.is_global_admin)

    @property
    def is_billing_admin(self) -> bool:
        return bool(self.membership and self.membership.enabled and self.membership.is_billing_admin)

    @property
    def is_partner_admin(self) -> bool:
        return self.relationship is not None

    @property
    def can_use_admin_center(self) -> bool:
        return self.is_global_admin or self.is_billing_admin or self.is_partner_admin

    @property
    def can_manage_billing(self) -> bool:
        return self.can_use_admin_center

    @property
    def can_manage_users(self) -> bool:
        return self.is_global_admin

    @property
    def key(self) -> str:
        return str(self.tenant.pk)


def available_access(user) -> list[TenantAccess]:
    """Every tenant the user may act in: their enabled accounts, then customers of their partner tenants."""
    if not user.is_authenticated:
        return []
    memberships = list(Membership.objects.filter(user=user, enabled=True).select_related("tenant"))
    choices = [TenantAccess(tenant=m.tenant, membership=m) for m in memberships]
    own = {m.tenant_id for m in memberships}
    partner_ids = [m.tenant_id for m in memberships if m.is_admin and m.tenant.is_partner]
    if partner_ids:
        relationships = (
            DelegatedAdminRelationship.objects.active()
            .filter(partner_id__in=partner_ids)
            .exclude(customer_id__in=own)
            .select_related("customer", "partner")
            .order_by("customer__name")
        )
        seen: set[int] = set()
        for relationship in relationships:
            if relationship.customer_id not in seen:
                seen.add(relationship.customer_id)
                choices.append(TenantAccess(tenant=relationship.customer, relationship=relationship))
    # Members before guests, then by name: the natural default for someone with several accounts.
    choices.sort(key=lambda a: (a.is_partner_admin, a.is_guest, a.tenant.name))
    return choices


def _pick(request, choices: list[TenantAccess]) -> TenantAccess | None:
    wanted = request.session.get(SESSION_KEY)
    for access in choices:
        if access.key == wanted:
            return access
    return choices[0] if choices else None


class ActiveTenantMiddleware:
    """Sets `request.access` (the active TenantAccess, or None) and `request.access_choices`.

    A signed-in account that lost every way in (disabled everywhere, not staff or support)
    is signed out on its next request; an expired partner relationship drops out at once.
    """

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        request.access_choices = []
        request.access = None
        user = request.user
        if user.is_authenticated:
            choices = available_access(user)
            # Every choice comes from an enabled account (partner access needs one in the partner tenant).
            if not user.may_sign_in(has_enabled_account=bool(choices)):
                logout(request)
            else:
                request.access_choices = choices
                request.access = _pick(request, choices)
        return self.get_response(request)


def switch_tenant(request, tenant_key: str) -> TenantAccess | None:
    """Make `tenant_key` the active tenant if the user may act there; returns it or None."""
    for access in available_access(request.user):
        if access.key == tenant_key:
            request.session[SESSION_KEY] = access.key
            return access
    return None


def tenant_required(allowed: Callable[[TenantAccess], bool]) -> Callable:
    """Decorator: signed in, acting in a tenant, and `allowed(access)`; else 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = request.access
            if access is None:
                if request.user.is_support_agent:
                    return redirect("support:queue")
                raise PermissionDenied
            if not allowed(access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = tenant_required(lambda a: a.is_member)
admin_required = tenant_required(lambda a: a.can_use_admin_center)
billing_admin_required = tenant_required(lambda a: a.can_manage_billing)
global_admin_required = tenant_required(lambda a: a.can_manage_users)
# Policy belongs to the organization: its own global and billing admins, not delegated partners.
policy_admin_required = tenant_required(lambda a: a.is_global_admin or a.is_billing_admin)


def support_agent_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_support_agent:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
