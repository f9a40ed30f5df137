"""Reads for self-service: effective policies, the catalog with prices, license requests."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from purchases.models import Channel, Price, Product
from tenants.models import Tenant

from .models import LicenseRequest, NewProductDefault, PolicyValue, SelfServicePolicy, SelfServiceSettings


def default_for_new_products(tenant: Tenant) -> str:
    settings = SelfServiceSettings.objects.filter(tenant=tenant).first()
    return settings.default_for_new_products if settings else NewProductDefault.ENABLED


def effective_policies(tenant: Tenant) -> dict[int, str]:
    """product id → policy value for every product; products without a row take the tenant's default."""
    explicit = dict(SelfServicePolicy.objects.for_tenant(tenant).values_list("product_id", "value"))
    fallback = default_for_new_products(tenant)
    return {
        product_id: explicit.get(product_id, fallback) for product_id in Product.objects.values_list("id", flat=True)
    }


def effective_policy(tenant: Tenant, product: Product) -> str:
    row = SelfServicePolicy.objects.for_tenant(tenant).filter(product=product).first()
    return row.value if row else default_for_new_products(tenant)


def policy_rows(tenant: Tenant) -> list[tuple[Product, str]]:
    """Every product with its effective value, in catalog order (the settings page and the API)."""
    values = effective_policies(tenant)
    return [(product, values.get(product.id, PolicyValue.ENABLED)) for product in Product.objects.all()]


def catalog(currency: str, channel: str = Channel.SELF_SERVICE) -> QuerySet[Product]:
    """Offered products with their prices in one currency and channel prefetched as `channel_prices`."""
    prices = Price.objects.for_channel(channel, currency).order_by("billing_period")
    return Product.objects.offered().prefetch_related(Prefetch("prices", queryset=prices, to_attr="channel_prices"))


def price_for(
    product: Product, *, currency: str, billing_period: str, channel: str = Channel.SELF_SERVICE
) -> Price | None:
    return Price.objects.filter(
        product=product, channel=channel, currency=currency, billing_period=billing_period
    ).first()


def license_requests_for(tenant: Tenant, *, status: str = "") -> QuerySet[LicenseRequest]:
    requests = (
        LicenseRequest.objects.for_tenant(tenant)
        .select_related("product", "requester__user", "decided_by")
        .prefetch_related("recipients__user")
    )
    if status == "pending":
        requests = requests.filter(status=LicenseRequest.Status.PENDING)
    elif status == "completed":
        requests = requests.exclude(status=LicenseRequest.Status.PENDING)
    return requests
