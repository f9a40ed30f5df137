"""Admin center › Settings: the self-service policy per product, and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchases.models import Product
from tenants.errors import TenantError
from tenants.models import ApiToken, AuditEvent
from tenants.scoping import global_admin_required, policy_admin_required
from tenants.selectors import search_text
from tenants.services import create_api_token, revoke_api_token

from .models import POLICY_ID, NewProductDefault, PolicyValue
from .selectors import default_for_new_products, policy_rows
from .services import PolicyError, set_default_for_new_products, set_policy, set_policy_for_all

UI = AuditEvent.Channel.UI


@policy_admin_required
def self_service_settings(request):
    tenant = request.access.tenant
    history = AuditEvent.objects.for_tenant(tenant).filter(action__startswith=f"policy.{POLICY_ID}")[:20]
    return render(
        request,
        "selfservice/settings.html",
        {
            "rows": policy_rows(tenant),
            "values": PolicyValue.choices,
            "default_values": NewProductDefault.choices,
            "default_for_new": default_for_new_products(tenant),
            "history": history,
        },
    )


@policy_admin_required
@require_POST
def change_policy(request):
    tenant, user, value = request.access.tenant, request.user, request.POST.get("value", "")
    scope = request.POST.get("scope", "product")
    try:
        if scope == "all":
            set_policy_for_all(tenant=tenant, value=value, actor=user, via=UI)
            messages.success(request, _("Every product is now set to %(value)s.") % {"value": value})
        elif scope == "new_products":
            set_default_for_new_products(tenant=tenant, value=value, actor=user, via=UI)
            messages.success(request, _("Products added later will start as %(value)s.") % {"value": value})
        else:
            product = get_object_or_404(Product, slug=search_text(request.POST.get("product")))
            set_policy(tenant=tenant, product=product, value=value, actor=user, via=UI)
            messages.success(request, _("%(product)s: %(value)s.") % {"product": product.name, "value": value})
    except PolicyError as error:
        messages.error(request, error.message)
    return redirect("selfservice:settings")


@global_admin_required
def api_tokens(request):
    tokens = ApiToken.objects.for_tenant(request.access.tenant).select_related("created_by")
    return render(request, "selfservice/api_tokens.html", {"tokens": tokens, "new_secret": None})


@global_admin_required
@require_POST
def create_token(request):
    try:
        token, secret = create_api_token(
            tenant=request.access.tenant, name=request.POST.get("name", ""), actor=request.user
        )
    except TenantError as error:
        messages.error(request, error.message)
        return redirect("selfservice:api_tokens")
    tokens = ApiToken.objects.for_tenant(request.access.tenant).select_related("created_by")
    # The secret is in this one response only; it is stored as a digest.
    return render(request, "selfservice/api_tokens.html", {"tokens": tokens, "new_secret": secret, "new_token": token})


@global_admin_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken.objects.for_tenant(request.access.tenant), pk=pk)
    revoke_api_token(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” is revoked; it stops working at once.") % {"name": token.name})
    return redirect("selfservice:api_tokens")
