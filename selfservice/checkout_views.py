"""The checkout pages at /buy/<slug>/: email → sign in → seats → card → done."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purchases.errors import PurchaseError
from purchases.gateway import GatewayError
from purchases.models import BillingPeriod, Product
from purchases.services import term_end
from tenants.selectors import email_domain, tenant_for_email

from .checkout import NotEligible, complete_checkout, prepare_card_setup, start_checkout, start_trial
from .eligibility import Eligibility, check_eligibility
from .forms import EmailForm, SeatsForm, TrialForm
from .models import Checkout
from .selectors import price_for


def _product(slug: str) -> Product:
    return get_object_or_404(Product.objects.offered(), slug=slug)


def _not_eligible(request, eligibility: Eligibility):
    return render(
        request, "selfservice/not_eligible.html", {"eligibility": eligibility, "product": eligibility.product}
    )


def buy(request, slug: str):
    """Step 1: the work email finds the organization; then sign in with it."""
    product = _product(slug)
    seats_url = reverse("selfservice:seats", args=[product.slug])
    if request.user.is_authenticated:
        return redirect(seats_url)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if tenant_for_email(email) is None:
            form.add_error(
                "email",
                _(
                    "No organization uses the domain “%(domain)s” with Seatwise. Check the address, or ask your "
                    "IT admin which email to use."
                )
                % {"domain": email_domain(email)},
            )
        else:
            return redirect(f"{reverse('account_login')}?{urlencode({'login': email, 'next': seats_url})}")
    return render(request, "selfservice/checkout_email.html", {"product": product, "form": form, "step": 1})


def _prices(product: Product, currency: str) -> dict:
    return {p: price_for(product, currency=currency, billing_period=p) for p in BillingPeriod.values}


def _quote(prices: dict, seats: int | None, billing_period: str | None) -> dict | None:
    price = prices.get(billing_period or "")
    if price is None or not seats or seats < 1:
        return None
    now = timezone.now()
    return {
        "price": price,
        "seats": seats,
        "total": price.money * seats,
        "renews_on": term_end(now, price.billing_period),
    }


@login_required
def seats(request, slug: str):
    """Step 3: how many licenses and which billing period, with price, total and renewal date."""
    product = _product(slug)
    access = request.access
    if access is None:
        return render(request, "selfservice/not_eligible.html", {"product": product, "no_tenant": True})
    eligibility = check_eligibility(user=request.user, tenant=access.tenant, product=product)
    if not eligibility.can_buy and not eligibility.can_trial:
        return _not_eligible(request, eligibility)
    prices = _prices(product, access.tenant.currency)
    periods = [period for period, price in prices.items() if price is not None]
    form = SeatsForm(request.POST or None, periods=periods)
    trial_form = TrialForm(maximum=product.trial_seats) if eligibility.can_trial else None
    if request.method == "POST" and eligibility.can_buy and form.is_valid():
        try:
            checkout = start_checkout(
                membership=access.membership, user=request.user, product=product, **form.cleaned_data
            )
        except NotEligible as error:
            return _not_eligible(request, error.eligibility)
        except PurchaseError as error:
            form.add_error(None, error.message)
        else:
            return redirect("selfservice:pay", slug=product.slug, token=checkout.token)
    seats_value = form.cleaned_data.get("seats") if form.is_bound and form.is_valid() else 1
    period_value = form.data.get("billing_period") if form.is_bound else BillingPeriod.MONTHLY
    context = {
        "product": product,
        "eligibility": eligibility,
        "form": form,
        "trial_form": trial_form,
        "prices": prices,
        "quote": _quote(prices, seats_value, period_value if period_value in periods else periods[0]),
        "step": 3,
    }
    return render(request, "selfservice/checkout_seats.html", context)


@login_required
@require_GET
def quote(request, slug: str):
    """htmx partial: the summary for the seats and period being chosen."""
    product = _product(slug)
    if request.access is None:
        return render(request, "selfservice/partials/quote.html", {"quote": None})
    prices = _prices(product, request.access.tenant.currency)
    form = SeatsForm(request.GET, periods=[p for p, price in prices.items() if price])
    result = (
        _quote(prices, form.cleaned_data["seats"], form.cleaned_data["billing_period"]) if form.is_valid() else None
    )
    return render(request, "selfservice/partials/quote.html", {"quote": result, "form": form})


@login_required
@require_POST
def trial(request, slug: str):
    product = _product(slug)
    access = request.access
    if access is None or access.membership is None:
        return redirect("selfservice:seats", slug=product.slug)
    form = TrialForm(request.POST, maximum=product.trial_seats)
    if not form.is_valid():
        for error in form.errors.get("seats", []):
            messages.error(request, error)
        return redirect("selfservice:seats", slug=product.slug)
    try:
        subscription = start_trial(
            membership=access.membership, user=request.user, product=product, seats=form.cleaned_data["seats"]
        )
    except NotEligible as error:
        return _not_eligible(request, error.eligibility)
    except PurchaseError as error:
        messages.error(request, error.message)
        return redirect("selfservice:seats", slug=product.slug)
    messages.success(
        request, _("Your free trial of %(product)s has started. No card was charged.") % {"product": product.name}
    )
    return redirect("selfservice:my_subscription", pk=subscription.pk)


def _own_checkout(request, slug: str, token) -> Checkout:
    if request.access is None:
        raise Http404
    return get_object_or_404(
        Checkout.objects.for_tenant(request.access.tenant).select_related("product", "subscription"),
        token=token,
        product__slug=slug,
        membership__user=request.user,
    )


@login_required
def pay(request, slug: str, token):
    """Step 4: the card, collected by Stripe Elements; then the one charge."""
    checkout = _own_checkout(request, slug, token)
    if checkout.status == Checkout.Status.COMPLETED:
        return redirect("selfservice:done", slug=slug, token=checkout.token)
    error = ""
    client_secret = ""
    # Back on this page while the bank's check is pending (e.g. after a reload): pick the payment up again.
    resuming = request.method == "GET" and checkout.status == Checkout.Status.REQUIRES_ACTION
    if request.method == "POST" or resuming:
        try:
            outcome = complete_checkout(
                checkout=checkout,
                user=request.user,
                setup_intent_id=request.POST.get("setup_intent", ""),
                payment_intent_id=request.POST.get("payment_intent", ""),
            )
        except NotEligible as refusal:
            return _not_eligible(request, refusal.eligibility)
        except (PurchaseError, GatewayError) as refusal:
            error = refusal.message
        else:
            if outcome.subscription is not None:
                return redirect("selfservice:done", slug=slug, token=checkout.token)
            client_secret = outcome.client_secret
            error = outcome.error
        checkout.refresh_from_db()
    context = {
        "product": checkout.product,
        "checkout": checkout,
        "error": error,
        "payment_intent_secret": client_secret,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "renews_on": term_end(timezone.now(), checkout.billing_period),
        "step": 4,
    }
    return render(request, "selfservice/checkout_pay.html", context)


@login_required
@require_POST
def card_intent(request, slug: str, token):
    """JSON for the card form: a fresh SetupIntent client secret for this attempt."""
    checkout = _own_checkout(request, slug, token)
    try:
        intent = prepare_card_setup(checkout=checkout)
    except (PurchaseError, GatewayError) as error:
        return JsonResponse({"error": error.message}, status=409 if isinstance(error, PurchaseError) else 503)
    return JsonResponse({"client_secret": intent.client_secret})


@login_required
def done(request, slug: str, token):
    """Step 5: the purchase is complete."""
    checkout = _own_checkout(request, slug, token)
    if checkout.status != Checkout.Status.COMPLETED:
        return redirect("selfservice:pay", slug=slug, token=checkout.token)
    subscription = checkout.subscription
    invoice = subscription.invoices.order_by("issued_at").first()
    return render(
        request,
        "selfservice/checkout_done.html",
        {
            "product": checkout.product,
            "subscription": subscription,
            "invoice": invoice,
            "buyer_licensed": subscription.licenses.filter(membership=subscription.buyer).exists(),
            "step": 5,
        },
    )
