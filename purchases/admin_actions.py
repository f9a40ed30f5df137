"""Admin center actions on subscriptions: centralize, request cancellation, message the buyer, buy centrally."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from support.models import CancellationRequest
from support.services import request_cancellation
from tenants.scoping import billing_admin_required

from .errors import PurchaseError
from .forms import BuyerMessageForm, CentralizeForm, CentralPurchaseForm, ReasonForm
from .invoice_pdf import pdf_response
from .models import BillingPeriod, Invoice, Price
from .selectors import subscriptions_of_tenant
from .services import central_channel, centralize, message_buyer, purchase_central_subscription


def _subscription(request, pk: int):
    return get_object_or_404(subscriptions_of_tenant(request.access.tenant), pk=pk)


def _detail(subscription):
    return redirect("purchases:subscription", pk=subscription.pk)


@billing_admin_required
def centralize_view(request, pk: int):
    subscription = _subscription(request, pk)
    tenant = request.access.tenant
    candidates = list(
        subscriptions_of_tenant(tenant)
        .self_service()
        .licenses_work()
        .filter(product=subscription.product)
        .order_by("buyer__user__full_name")
    )
    channel = central_channel(request.access)
    prices = {
        p.billing_period: p
        for p in Price.objects.filter(product=subscription.product, channel=channel, currency=tenant.currency)
    }
    initial = {
        "subscriptions": [subscription.pk] if subscription in candidates else [],
        "seats": max(1, sum(s.seats_assigned for s in candidates if s.pk == subscription.pk)),
        "billing_period": BillingPeriod.ANNUAL,
    }
    form = CentralizeForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = [s for s in candidates if s.pk in form.cleaned_data["subscriptions"]]
        try:
            central = centralize(
                access=request.access,
                actor=request.user,
                subscriptions=chosen,
                billing_period=form.cleaned_data["billing_period"],
                seats=form.cleaned_data["seats"],
                message=form.cleaned_data["message"],
            )
        except PurchaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Central subscription bought and %(count)s users moved onto it. "
                    "The buyers were asked to cancel their self-service subscriptions."
                )
                % {"count": central.seats_assigned},
            )
            return _detail(central)
    return render(
        request,
        "purchases/centralize.html",
        {"subscription": subscription, "form": form, "prices": prices, "channel": channel, "candidates": candidates},
    )


@billing_admin_required
def request_cancellation_view(request, pk: int):
    subscription = _subscription(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_cancellation(
                access=request.access, actor=request.user, subscription=subscription, reason=form.cleaned_data["reason"]
            )
        except PurchaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your request is with the vendor's support. You'll see its status on this page.")
            )
            return _detail(subscription)
    return render(request, "purchases/request_cancellation.html", {"subscription": subscription, "form": form})


@billing_admin_required
@require_POST
def message_buyer_view(request, pk: int):
    subscription = _subscription(request, pk)
    form = BuyerMessageForm(request.POST)
    try:
        if not form.is_valid():
            raise PurchaseError(form.errors["message"][0])
        message_buyer(subscription=subscription, actor=request.user, message=form.cleaned_data["message"])
    except PurchaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your message is on its way to %(name)s.") % {"name": subscription.buyer.user})
    return _detail(subscription)


@billing_admin_required
def cancellation_requests(request):
    requests = (
        CancellationRequest.objects.for_tenant(request.access.tenant)
        .select_related("subscription__product", "subscription__buyer__user", "handled_by")
        .order_by("-created_at")[:200]
    )
    return render(request, "purchases/cancellation_requests.html", {"requests": requests})


@billing_admin_required
def central_purchase(request):
    """Buy a subscription for the organization: central price, or the partner price for a partner."""
    access = request.access
    channel = central_channel(access)
    form = CentralPurchaseForm(request.POST or None, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        try:
            subscription = purchase_central_subscription(
                tenant=access.tenant, actor=request.user, channel=channel, **form.cleaned_data
            )
        except PurchaseError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Bought; the invoice goes to the organization."))
            return _detail(subscription)
    prices = Price.objects.filter(channel=channel, currency=access.tenant.currency).select_related("product")
    return render(request, "purchases/central_purchase.html", {"form": form, "prices": prices, "channel": channel})


@billing_admin_required
def invoice_pdf(request, pk: int):
    invoice = get_object_or_404(Invoice.objects.for_tenant(request.access.tenant), pk=pk)
    return pdf_response(invoice)
