from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from purchases.models import Product

from .eligibility import EligibilityRules, check_eligibility
from .selectors import catalog as catalog_products

CURRENCY_SESSION_KEY = "seatwise_currency"
VISITOR_CURRENCIES = ["USD", "EUR", "NOK", "BRL", "INR"]


def visitor_currency(request) -> str:
    """The signed-in tenant's currency, else the one the visitor picked, else US dollars."""
    if request.access is not None:
        return request.access.tenant.currency
    return request.session.get(CURRENCY_SESSION_KEY, "USD")


def _eligibility_by_product(request, products):
    access = request.access
    if access is None:
        return {}
    rules = EligibilityRules.load(user=request.user, tenant=access.tenant)
    return {p.id: check_eligibility(user=request.user, tenant=access.tenant, product=p, rules=rules) for p in products}


def catalog(request):
    currency = visitor_currency(request)
    products = list(catalog_products(currency))
    eligibility = _eligibility_by_product(request, products)
    rows = [(product, _prices_by_period(product), eligibility.get(product.id)) for product in products]
    return render(
        request,
        "selfservice/catalog.html",
        {"rows": rows, "currency": currency, "currencies": VISITOR_CURRENCIES},
    )


@require_POST
def choose_currency(request):
    currency = request.POST.get("currency", "")
    if currency in VISITOR_CURRENCIES:
        request.session[CURRENCY_SESSION_KEY] = currency
    return redirect("selfservice:catalog")


def product_detail(request, slug: str):
    currency = visitor_currency(request)
    product = get_object_or_404(catalog_products(currency), slug=slug)
    eligibility = _eligibility_by_product(request, [product]).get(product.id)
    return render(
        request,
        "selfservice/product.html",
        {"product": product, "prices": _prices_by_period(product), "eligibility": eligibility, "currency": currency},
    )


def _prices_by_period(product: Product) -> dict:
    """{"monthly": Price, "annual": Price} from the prefetched channel prices."""
    return {price.billing_period: price for price in product.channel_prices}
