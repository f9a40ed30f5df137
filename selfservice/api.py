"""JSON API v1, mirroring the vendor's MSCommerce PowerShell cmdlets for AllowSelfServicePurchase.

    GET   /api/v1/policies/AllowSelfServicePurchase/products/          Get-MSCommerceProductPolicies
    GET   /api/v1/policies/AllowSelfServicePurchase/products/<slug>/   Get-MSCommerceProductPolicy
    PATCH /api/v1/policies/AllowSelfServicePurchase/products/<slug>/   Update-MSCommerceProductPolicy

Authentication: `Authorization: Bearer <token>`; the token decides the tenant. Errors are
`{"error": {"code": "...", "message": "..."}}` with a stable code.
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from purchases.models import Product
from tenants.models import AuditEvent
from tenants.services import authenticate_api_token

from .models import POLICY_ID
from .openapi import openapi_document
from .selectors import effective_policy, policy_rows
from .services import PolicyError, set_policy


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def token_required(view):
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return error(401, "authentication_required", "Send 'Authorization: Bearer <token>'.")
        token = authenticate_api_token(header.removeprefix("Bearer ").strip())
        if token is None:
            return error(401, "invalid_token", "The token is unknown or revoked.")
        request.api_token = token
        return view(request, *args, **kwargs)

    return wrapped


def _policy_json(product: Product, value: str) -> dict:
    return {"policyId": POLICY_ID, "productId": product.slug, "productName": product.name, "policyValue": value}


def _check_policy_id(policy_id: str) -> JsonResponse | None:
    if policy_id != POLICY_ID:
        return error(404, "unknown_policy", f"Unknown policy '{policy_id}'. The only policy is {POLICY_ID}.")
    return None


@token_required
def product_policies(request, policy_id: str):
    if request.method != "GET":
        return error(405, "method_not_allowed", "Use GET.")
    if refusal := _check_policy_id(policy_id):
        return refusal
    rows = policy_rows(request.api_token.tenant)
    return JsonResponse({"policyId": POLICY_ID, "products": [_policy_json(p, v) for p, v in rows]})


@token_required
def product_policy(request, policy_id: str, slug: str):
    if refusal := _check_policy_id(policy_id):
        return refusal
    product = Product.objects.filter(slug=slug).first()
    if product is None:
        return error(404, "unknown_product", f"Unknown product '{slug}'.")
    tenant = request.api_token.tenant
    if request.method == "GET":
        return JsonResponse(_policy_json(product, effective_policy(tenant, product)))
    if request.method != "PATCH":
        return error(405, "method_not_allowed", "Use GET or PATCH.")
    if request.content_type != "application/json":
        return error(415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json.")
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return error(400, "malformed_json", "The body is not valid JSON.")
    if not isinstance(body, dict) or "value" not in body:
        return error(400, "missing_value", 'Send {"value": "Enabled" | "Disabled" | "OnlyTrialsWithoutPaymentMethod"}.')
    if not isinstance(body["value"], str):
        return error(400, "invalid_value", "The value must be a string.")
    try:
        policy = set_policy(
            tenant=tenant,
            product=product,
            value=body["value"],
            actor=None,
            via=AuditEvent.Channel.API,
            actor_label=f"API token {request.api_token.name} ({request.api_token.prefix})",
        )
    except PolicyError as refusal:
        return error(400, refusal.code, refusal.message)
    return JsonResponse(_policy_json(product, policy.value))


def openapi(request):
    return JsonResponse(openapi_document(request.build_absolute_uri("/api/v1/")))


def index(request):
    return JsonResponse(
        {
            "version": "v1",
            "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
            "policies": request.build_absolute_uri(f"/api/v1/policies/{POLICY_ID}/products/"),
        }
    )
