"""The vendor's support console: the cancellation queue, and search across tenants."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchases.errors import PurchaseError
from purchases.gateway import GatewayError
from purchases.models import Subscription
from purchases.selectors import history_of, licenses_of
from tenants.scoping import support_agent_required
from tenants.selectors import search_text

from .forms import CancelOnBehalfForm, RejectForm
from .models import CancellationRequest
from .selectors import cancellation_queue, search_subscriptions, search_tenants
from .services import cancel_on_behalf, reject_request, take_request

QUEUE_VIEWS = ["open", "new", "in_progress", "done", "rejected", "resolved_by_buyer"]


@support_agent_required
def queue(request):
    status = request.GET.get("status", "open")
    if status not in QUEUE_VIEWS:
        status = "open"
    query = search_text(request.GET.get("q"))
    context = {
        "status": status,
        "statuses": [("open", _("Open"))] + list(CancellationRequest.Status.choices),
        "requests": cancellation_queue(status)[:200],
        "query": query,
        "tenants": search_tenants(query) if query else [],
        "subscriptions": search_subscriptions(query) if query else [],
    }
    return render(request, "support/queue.html", context)


def _request(pk: int) -> CancellationRequest:
    return get_object_or_404(
        CancellationRequest.objects.select_related("tenant", "subscription__product", "subscription__buyer__user"),
        pk=pk,
    )


@support_agent_required
def request_detail(request, pk: int):
    item = _request(pk)
    return render(
        request,
        "support/request.html",
        {
            "item": item,
            "subscription": item.subscription,
            "licenses": licenses_of(item.subscription),
            "history": history_of(item.subscription),
            "cancel_form": CancelOnBehalfForm(),
            "reject_form": RejectForm(),
        },
    )


@support_agent_required
@require_POST
def act(request, pk: int):
    item = _request(pk)
    action = request.POST.get("action")
    try:
        if action == "take":
            take_request(request=item, agent=request.user)
            messages.success(request, _("You are working on this request."))
        elif action == "cancel":
            form = CancelOnBehalfForm(request.POST)
            if not form.is_valid():
                raise PurchaseError(_("Choose when the subscription ends and whether to refund."))
            cancel_on_behalf(
                request=item,
                agent=request.user,
                immediately=form.cleaned_data["when"] == "now",
                refund=form.cleaned_data["refund"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Cancelled on behalf of the admin; the admin and the buyer are told."))
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise PurchaseError(_("Tell the admin why: write a short message."))
            reject_request(request=item, agent=request.user, message=form.cleaned_data["message"])
            messages.success(request, _("Request rejected; the admin is told."))
        else:
            raise PurchaseError(_("Choose an action."))
    except (PurchaseError, GatewayError) as error:
        messages.error(request, error.message)
    return redirect("support:request", pk=item.pk)


@support_agent_required
def subscription_detail(request, pk: int):
    """Any tenant's subscription with its order history, for agents answering a customer."""
    subscription = get_object_or_404(Subscription.objects.select_related("tenant", "product", "buyer__user"), pk=pk)
    return render(
        request,
        "support/subscription.html",
        {
            "subscription": subscription,
            "licenses": licenses_of(subscription),
            "history": history_of(subscription),
            "requests": subscription.cancellation_requests.order_by("-created_at"),
        },
    )
