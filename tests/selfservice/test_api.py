import json

import pytest
from django.urls import reverse

from selfservice.models import SelfServicePolicy
from selfservice.selectors import effective_policy
from tenants.models import ApiToken, AuditEvent
from tenants.services import create_api_token, revoke_api_token

BASE = "/api/v1/policies/AllowSelfServicePurchase/products/"


@pytest.fixture
def token(demo):
    _token, secret = create_api_token(tenant=demo.tenant("contoso"), name="sync script", actor=demo.user("gina"))
    return secret


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def patch(client, url, body, secret, content_type="application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.patch(url, data=data, content_type=content_type, **auth(secret))


@pytest.mark.django_db
def test_list_every_product_with_its_value(client, token):
    response = client.get(BASE, **auth(token))
    assert response.status_code == 200
    body = response.json()
    assert body["policyId"] == "AllowSelfServicePurchase"
    assert len(body["products"]) == 8
    assert body["products"][0] == {
        "policyId": "AllowSelfServicePurchase",
        "productId": "power-bi-pro",
        "productName": "Power BI Pro",
        "policyValue": "Enabled",
    }


@pytest.mark.django_db
def test_patch_changes_the_policy_and_the_checkout(client, demo, token):
    response = patch(client, f"{BASE}visio-plan-1/", {"value": "Disabled"}, token)
    assert response.status_code == 200
    assert response.json()["policyValue"] == "Disabled"
    assert client.get(f"{BASE}visio-plan-1/", **auth(token)).json()["policyValue"] == "Disabled"
    assert AuditEvent.objects.get(action="policy.AllowSelfServicePurchase").via == "api"
    client.force_login(demo.user("sam"))
    assert "Contact your IT admin" in client.get(reverse("selfservice:seats", args=["visio-plan-1"])).content.decode()


@pytest.mark.django_db
def test_a_token_only_reaches_its_own_tenant(client, demo, token):
    patch(client, f"{BASE}visio-plan-1/", {"value": "Disabled"}, token)
    assert effective_policy(demo.tenant("contoso"), demo.product("visio-plan-1")) == "Disabled"
    assert effective_policy(demo.tenant("fabrikam"), demo.product("visio-plan-1")) == "Enabled"
    _other, fabrikam_secret = create_api_token(tenant=demo.tenant("fabrikam"), name="x", actor=demo.user("greta"))
    assert client.get(f"{BASE}visio-plan-1/", **auth(fabrikam_secret)).json()["policyValue"] == "Enabled"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "authentication_required"),
        ({"HTTP_AUTHORIZATION": "Token abc"}, "authentication_required"),
        ({"HTTP_AUTHORIZATION": "Bearer sw_nothing_here"}, "invalid_token"),
        ({"HTTP_AUTHORIZATION": "Bearer "}, "invalid_token"),
    ],
)
@pytest.mark.django_db
def test_missing_or_wrong_tokens_are_refused(client, demo, headers, code):
    response = client.get(BASE, **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
def test_a_revoked_token_stops_working_at_once(client, demo, token):
    revoke_api_token(token=ApiToken.objects.get(), actor=demo.user("gina"))
    response = patch(client, f"{BASE}power-bi-pro/", {"value": "Disabled"}, token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert SelfServicePolicy.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "body", "content_type", "status", "code"),
    [
        (f"{BASE}power-bi-max/", {"value": "Disabled"}, "application/json", 404, "unknown_product"),
        (
            "/api/v1/policies/AllowTrials/products/power-bi-pro/",
            {"value": "Disabled"},
            "application/json",
            404,
            "unknown_policy",
        ),
        (f"{BASE}power-bi-pro/", {"value": "Nope"}, "application/json", 400, "invalid_value"),
        (f"{BASE}power-bi-pro/", {"value": 1}, "application/json", 400, "invalid_value"),
        (f"{BASE}power-bi-pro/", {"policy": "Disabled"}, "application/json", 400, "missing_value"),
        (f"{BASE}power-bi-pro/", ["Disabled"], "application/json", 400, "missing_value"),
        (f"{BASE}power-bi-pro/", b'{"value": "Disabled"', "application/json", 400, "malformed_json"),
        (f"{BASE}power-bi-pro/", "value=Disabled", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
@pytest.mark.django_db
def test_bad_requests_get_a_stable_code_and_change_nothing(client, token, url, body, content_type, status, code):
    response = patch(client, url, body, token, content_type=content_type)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert SelfServicePolicy.objects.count() == 0


@pytest.mark.django_db
def test_other_methods_are_refused(client, token):
    assert client.delete(f"{BASE}power-bi-pro/", **auth(token)).json()["error"]["code"] == "method_not_allowed"
    assert client.post(BASE, **auth(token)).status_code == 405


@pytest.mark.django_db
def test_the_openapi_description_names_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/policies/{policyId}/products/{productId}/" in document["paths"]
    assert set(document["paths"]["/policies/{policyId}/products/{productId}/"]) == {"get", "patch"}


@pytest.mark.django_db
def test_a_global_admin_creates_a_token_seen_once_and_stored_hashed(client, demo):
    client.force_login(demo.user("gina"))
    page = client.post(reverse("selfservice:create_token"), {"name": "nightly sync"}).content.decode()
    token = ApiToken.objects.get()
    secret = page.split('id="new-secret" readonly value="')[1].split('"')[0]
    assert secret.startswith(f"sw_{token.prefix}_")
    assert secret not in token.digest and len(token.digest) == 64
    assert secret not in client.get(reverse("selfservice:api_tokens")).content.decode()
    assert client.get(BASE, **auth(secret)).status_code == 200


@pytest.mark.django_db
def test_a_billing_admin_cannot_create_tokens(client, demo):
    client.force_login(demo.user("bill"))
    assert client.post(reverse("selfservice:create_token"), {"name": "x"}).status_code == 403
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_api_changes_name_the_token_in_the_audit_log(client, token):
    patch(client, f"{BASE}visio-plan-1/", {"value": "Disabled"}, token)
    event = AuditEvent.objects.get(action="policy.AllowSelfServicePurchase")
    assert event.actor_label.startswith("API token sync script (")
