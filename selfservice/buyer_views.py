"""The buyer's restricted view at /my/: only their own self-service subscriptions and invoices.

Every action is a plain form post; htmx swaps in partials where that makes the page nicer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchases import gateway
from purchases.errors import PurchaseError
from purchases.gateway import GatewayError
from purchases.invoice_pdf import pdf_response
from purchases.models import Invoice, LicenseAssignment
from purchases.selectors import (
    assignable_people,
    history_of,
    invoices_of,
    invoices_of_buyer,
    licenses_of,
    subscriptions_of_buyer,
)
from purchases.services import (
    MAX_BULK_ASSIGN,
    add_seats,
    assign_licenses,
    billing_account_for,
    cancel_subscription,
    cancellation_terms,
    ensure_gateway_customer,
    pay_invoice,
    quote_added_seats,
    reduce_seats_next_term,
    replace_card,
    unassign_license,
)
from tenants.models import Membership
from tenants.scoping import member_required
from tenants.selectors import search_text

from .forms import AddSeatsForm, CancelForm, ReduceSeatsForm


def _own_subscription(request, pk: int):
    # Scoped to the buyer: another buyer's (or another tenant's) subscription is a 404.
    return get_object_or_404(subscriptions_of_buyer(request.access.membership), pk=pk)


def _own_invoice(request, pk: int) -> Invoice:
    return get_object_or_404(invoices_of_buyer(request.access.membership), pk=pk)


def _back(subscription):
    return redirect("selfservice:my_subscription", pk=subscription.pk)


@member_required
def my_purchases(request):
    subscriptions = subscriptions_of_buyer(request.access.membership)
    return render(request, "selfservice/my_purchases.html", {"subscriptions": subscriptions})


@member_required
def subscription_detail(request, pk: int):
    subscription = _own_subscription(request, pk)
    account = getattr(request.access.membership, "billing_account", None)
    context = {
        "subscription": subscription,
        "licenses": licenses_of(subscription),
        "invoices": invoices_of(subscription),
        "history": history_of(subscription)[:50],
        "people": assignable_people(subscription),
        "card": account.default_card if account else None,
        "reduce_form": ReduceSeatsForm(initial={"seats": subscription.seats_next_term}),
        "max_bulk": MAX_BULK_ASSIGN,
    }
    return render(request, "selfservice/my_subscription.html", context)


# Seats -----------------------------------------------------------------------------------------


@member_required
def add_seats_view(request, pk: int):
    """Shows the prorated charge before confirming; the confirmed form charges the saved card once."""
    subscription = _own_subscription(request, pk)
    form = AddSeatsForm(request.POST or None, initial={"seats": 1, "request_key": uuid.uuid4()})
    quote = None
    if form.is_bound and form.is_valid():
        quote = quote_added_seats(subscription, form.cleaned_data["seats"])
        if "confirm" in request.POST:
            try:
                add_seats(
                    subscription=subscription,
                    seats=form.cleaned_data["seats"],
                    actor=request.user,
                    request_key=str(form.cleaned_data["request_key"]),
                )
            except (PurchaseError, GatewayError) as error:
                form.add_error(None, error.message)
                # A new attempt (e.g. after a decline) must not replay the refused one.
                form.data = form.data.copy()
                form.data["request_key"] = str(uuid.uuid4())
            else:
                messages.success(
                    request,
                    _("%(seats)s licenses added. You can assign them now.") % {"seats": form.cleaned_data["seats"]},
                )
                return _back(subscription)
    elif not form.is_bound:
        quote = quote_added_seats(subscription, 1)
    account = getattr(request.access.membership, "billing_account", None)
    template = "selfservice/partials/seat_quote.html" if request.htmx else "selfservice/add_seats.html"
    return render(
        request,
        template,
        {"subscription": subscription, "form": form, "quote": quote, "card": account.default_card if account else None},
    )


@member_required
@require_POST
def reduce_seats(request, pk: int):
    subscription = _own_subscription(request, pk)
    form = ReduceSeatsForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("seats", []):
            messages.error(request, error)
        return _back(subscription)
    try:
        reduce_seats_next_term(subscription=subscription, seats=form.cleaned_data["seats"], actor=request.user)
    except PurchaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("From the next term you pay for %(seats)s licenses.") % {"seats": form.cleaned_data["seats"]},
        )
    return _back(subscription)


# Licenses --------------------------------------------------------------------------------------


@member_required
def people_search(request, pk: int):
    """htmx partial: members who could get a license, by name or email."""
    subscription = _own_subscription(request, pk)
    people = assignable_people(subscription, search=search_text(request.GET.get("q")))
    return render(request, "selfservice/partials/people.html", {"people": people, "subscription": subscription})


def _posted_people(request) -> list[Membership]:
    try:
        ids = [int(value) for value in request.POST.getlist("people")]
    except ValueError:
        raise PurchaseError(_("Choose people from the list.")) from None
    people = list(Membership.objects.for_tenant(request.access.tenant).filter(pk__in=ids).select_related("user"))
    if len(people) != len(set(ids)):
        raise PurchaseError(_("Licenses can only go to people in your own organization."))
    return people


@member_required
@require_POST
def assign(request, pk: int):
    subscription = _own_subscription(request, pk)
    try:
        assigned = assign_licenses(subscription=subscription, memberships=_posted_people(request), actor=request.user)
    except PurchaseError as error:
        messages.error(request, error.message)
    else:
        names = ", ".join(a.membership.user.email for a in assigned)
        messages.success(request, _("License assigned to %(names)s.") % {"names": names})
    return _back(subscription)


@member_required
@require_POST
def unassign(request, pk: int, license_pk: int):
    subscription = _own_subscription(request, pk)
    assignment = get_object_or_404(
        LicenseAssignment.objects.filter(subscription=subscription).select_related("membership__user"), pk=license_pk
    )
    unassign_license(assignment=assignment, actor=request.user)
    messages.success(request, _("License removed from %(email)s.") % {"email": assignment.membership.user.email})
    return _back(subscription)


# Cancelling ------------------------------------------------------------------------------------


@member_required
def cancel(request, pk: int):
    subscription = _own_subscription(request, pk)
    if subscription.is_cancelled or not subscription.is_running:
        messages.info(request, _("This subscription is already cancelled or ended."))
        return _back(subscription)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_subscription(subscription=subscription, actor=request.user, reason=form.cleaned_data["reason"])
        except (PurchaseError, GatewayError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your subscription is cancelled; it will not renew."))
            return _back(subscription)
    return render(
        request,
        "selfservice/cancel.html",
        {"subscription": subscription, "form": form, "terms": cancellation_terms(subscription)},
    )


# Invoices --------------------------------------------------------------------------------------


@member_required
def invoices(request):
    items = invoices_of_buyer(request.access.membership).order_by("-issued_at", "-id")[:200]
    return render(request, "selfservice/invoices.html", {"invoices": items})


@member_required
def invoice_detail(request, pk: int):
    invoice = _own_invoice(request, pk)
    account = invoice.account
    return render(
        request,
        "selfservice/invoice.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "payments": invoice.payments.all(),
            "card": account.default_card,
        },
    )


@member_required
def invoice_pdf(request, pk: int):
    invoice = _own_invoice(request, pk)
    return pdf_response(invoice)


@member_required
@require_POST
def invoice_pay(request, pk: int):
    invoice = _own_invoice(request, pk)
    try:
        result = pay_invoice(
            invoice=invoice, actor=request.user, payment_intent_id=request.POST.get("payment_intent", "")
        )
    except (PurchaseError, GatewayError) as error:
        messages.error(request, error.message)
        return redirect("selfservice:invoice", pk=invoice.pk)
    if result.requires_action:
        return render(
            request,
            "selfservice/confirm_payment.html",
            {
                "invoice": invoice,
                "client_secret": result.client_secret,
                "stripe_js_url": settings.STRIPE_JS_URL,
                "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            },
        )
    if result.error:
        messages.error(request, result.error)
    else:
        messages.success(request, _("Invoice %(number)s is paid. Thank you.") % {"number": invoice.number})
    return redirect("selfservice:invoice", pk=invoice.pk)


# The card ----------------------------------------------------------------------------------------


@member_required
def payment_method(request):
    account = billing_account_for(request.access.membership)
    error = ""
    if request.method == "POST":
        try:
            card = replace_card(
                account=account, setup_intent_id=request.POST.get("setup_intent", ""), actor=request.user
            )
        except (PurchaseError, GatewayError) as refusal:
            error = refusal.message
        else:
            messages.success(request, _("Your card is now %(card)s.") % {"card": card.label})
            return redirect("selfservice:payment_method")
    return render(
        request,
        "selfservice/payment_method.html",
        {
            "card": account.default_card,
            "error": error,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        },
    )


@member_required
@require_POST
def payment_method_intent(request):
    """JSON for the card form: a fresh SetupIntent for the new card."""
    account = billing_account_for(request.access.membership)
    try:
        intent = gateway.create_setup_intent(customer_id=ensure_gateway_customer(account))
    except GatewayError as error:
        return JsonResponse({"error": error.message}, status=503)
    return JsonResponse({"client_secret": intent.client_secret})
