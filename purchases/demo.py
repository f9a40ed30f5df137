"""The demo catalog of SPEC §2: eight products, prices in five currencies, the market rules."""

from __future__ import annotations

from decimal import Decimal

from .models import BillingPeriod, Channel, MarketRestriction, Price, Product
from .money import round_minor

# slug: (name, summary, monthly self-service price per seat in US cents)
DEMO_PRODUCTS = {
    "power-bi-pro": (
        "Power BI Pro",
        "Self-service analytics: build, publish and share interactive reports and dashboards.",
        1400,
    ),
    "power-bi-premium-per-user": (
        "Power BI Premium Per User",
        "Everything in Power BI Pro plus larger models, paginated reports and AI features.",
        2400,
    ),
    "power-apps-premium": (
        "Power Apps Premium",
        "Build and run unlimited business apps with premium connectors and Dataverse.",
        2000,
    ),
    "power-automate-premium": (
        "Power Automate Premium",
        "Automate workflows across cloud services and desktops, with premium connectors.",
        1500,
    ),
    "project-plan-1": ("Project Plan 1", "Plan projects, track tasks and work together in the browser.", 1000),
    "project-plan-3": (
        "Project Plan 3",
        "Project and portfolio management with resource planning and the desktop client.",
        3000,
    ),
    "visio-plan-1": ("Visio Plan 1", "Create, edit and share diagrams and flowcharts in the browser.", 500),
    "visio-plan-2": ("Visio Plan 2", "Professional diagramming with the desktop app and advanced shapes.", 1500),
}

# currency: (rate against USD, rounding step in minor units)
DEMO_CURRENCIES = {
    "USD": (Decimal("1"), 1),
    "EUR": (Decimal("0.95"), 10),
    "NOK": (Decimal("11"), 100),
    "BRL": (Decimal("5.5"), 10),
    "INR": (Decimal("85"), 100),
}
CHANNEL_FACTORS = {
    Channel.SELF_SERVICE: Decimal("1"),
    Channel.CENTRAL: Decimal("0.95"),
    Channel.PARTNER: Decimal("0.9"),
}
ANNUAL_MONTHS_CHARGED = 10  # an annual term costs ten months: two months free
TRIAL_DAYS = 30

NOT_SELF_SERVICE_EVERYWHERE = ["IN"]
PROJECT_AND_VISIO = ["project-plan-1", "project-plan-3", "visio-plan-1", "visio-plan-2"]
NOT_SELF_SERVICE_FOR_PROJECT_AND_VISIO = ["BR", "CD"]


def demo_price(us_cents_monthly: int, currency: str, channel: str, period: str) -> int:
    rate, step = DEMO_CURRENCIES[currency]
    months = 1 if period == BillingPeriod.MONTHLY else ANNUAL_MONTHS_CHARGED
    exact = Decimal(us_cents_monthly) * rate * CHANNEL_FACTORS[channel]
    per_month = round_minor(exact / step) * step
    return per_month * months


def seed_catalog() -> None:
    for position, (slug, (name, summary, us_cents)) in enumerate(DEMO_PRODUCTS.items()):
        product, _ = Product.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "summary": summary, "trial_days": TRIAL_DAYS, "position": position},
        )
        for currency in DEMO_CURRENCIES:
            for channel in Channel.values:
                for period in BillingPeriod.values:
                    Price.objects.get_or_create(
                        product=product,
                        channel=channel,
                        currency=currency,
                        billing_period=period,
                        defaults={"amount_minor": demo_price(us_cents, currency, channel, period)},
                    )
    for country in NOT_SELF_SERVICE_EVERYWHERE:
        MarketRestriction.objects.get_or_create(country=country, product=None, channel=Channel.SELF_SERVICE)
    for country in NOT_SELF_SERVICE_FOR_PROJECT_AND_VISIO:
        for slug in PROJECT_AND_VISIO:
            MarketRestriction.objects.get_or_create(
                country=country, product=Product.objects.get(slug=slug), channel=Channel.SELF_SERVICE
            )


def seed_purchases() -> None:
    """Alex's Power BI Pro × 5 (self-service, paid by card) and Contoso's central Project Plan 3 × 10.

    Made through the checkout and purchase services, so they carry invoices and order history.
    Alex's card is confirmed server-side with Stripe's test card; needs the gateway (localstripe).
    """
    from purchases.models import Subscription
    from purchases.services import purchase_central_subscription
    from selfservice.checkout import complete_checkout, prepare_card_setup, start_checkout
    from tenants.models import Membership

    from . import gateway

    alex = Membership.objects.select_related("user", "tenant").get(user__email="alex@contoso.example")
    power_bi_pro = Product.objects.get(slug="power-bi-pro")
    if not Subscription.objects.filter(buyer=alex, product=power_bi_pro).exists():
        checkout = start_checkout(
            membership=alex, user=alex.user, product=power_bi_pro, seats=5, billing_period=BillingPeriod.MONTHLY
        )
        intent = prepare_card_setup(checkout=checkout)
        gateway.confirm_setup_intent(intent.id, payment_method_id="pm_card_visa")
        complete_checkout(checkout=checkout, user=alex.user, setup_intent_id=intent.id)

    gina = Membership.objects.select_related("user").get(user__email="gina@contoso.example")
    project_plan_3 = Product.objects.get(slug="project-plan-3")
    if not Subscription.objects.filter(tenant=alex.tenant, product=project_plan_3, channel=Channel.CENTRAL).exists():
        purchase_central_subscription(
            tenant=alex.tenant, product=project_plan_3, seats=10, billing_period=BillingPeriod.ANNUAL, actor=gina.user
        )
