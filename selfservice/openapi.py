"""The OpenAPI 3.1 description of /api/v1/, served at /api/v1/openapi.json."""

from .models import POLICY_ID, PolicyValue


def openapi_document(server_url: str) -> dict:
    error = {"$ref": "#/components/schemas/Error"}
    policy = {"$ref": "#/components/schemas/ProductPolicy"}

    def responses(ok_schema: dict, *codes: int) -> dict:
        out = {"200": {"description": "OK", "content": {"application/json": {"schema": ok_schema}}}}
        for code in codes:
            out[str(code)] = {"description": "Error", "content": {"application/json": {"schema": error}}}
        return out

    product_path = "/policies/{policyId}/products/{productId}/"
    policy_id_param = {
        "name": "policyId",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": [POLICY_ID]},
    }
    product_param = {"name": "productId", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Seatwise self-service policy API",
            "version": "1.0.0",
            "description": (
                "Read and change AllowSelfServicePurchase per product, like the MSCommerce PowerShell module."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/policies/{policyId}/products/": {
                "get": {
                    "operationId": "listProductPolicies",
                    "summary": "Every product with its policy value (Get-MSCommerceProductPolicies).",
                    "parameters": [policy_id_param],
                    "responses": responses(
                        {
                            "type": "object",
                            "properties": {
                                "policyId": {"type": "string"},
                                "products": {"type": "array", "items": policy},
                            },
                            "required": ["policyId", "products"],
                        },
                        401,
                        404,
                    ),
                }
            },
            product_path: {
                "get": {
                    "operationId": "getProductPolicy",
                    "summary": "One product's policy value (Get-MSCommerceProductPolicy).",
                    "parameters": [policy_id_param, product_param],
                    "responses": responses(policy, 401, 404),
                },
                "patch": {
                    "operationId": "updateProductPolicy",
                    "summary": "Change one product's policy value (Update-MSCommerceProductPolicy).",
                    "parameters": [policy_id_param, product_param],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"value": {"type": "string", "enum": PolicyValue.values}},
                                    "required": ["value"],
                                }
                            }
                        },
                    },
                    "responses": responses(policy, 400, 401, 404, 415),
                },
            },
        },
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "ProductPolicy": {
                    "type": "object",
                    "properties": {
                        "policyId": {"type": "string"},
                        "productId": {"type": "string"},
                        "productName": {"type": "string"},
                        "policyValue": {"type": "string", "enum": PolicyValue.values},
                    },
                    "required": ["policyId", "productId", "productName", "policyValue"],
                },
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                            "required": ["code", "message"],
                        }
                    },
                    "required": ["error"],
                },
            },
        },
    }
