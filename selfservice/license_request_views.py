"""License requests: the member's form, and the admins' list with approve and reject."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchases.errors import PurchaseError
from purchases.models import Product, Subscription
from tenants.models import Membership
from tenants.scoping import billing_admin_required, member_required

from .forms import ApproveRequestForm, LicenseRequestForm, RejectRequestForm
from .license_requests import (
    LicenseRequestError,
    approve_license_request,
    reject_license_request,
)
from .license_requests import (
    request_license as file_request,
)
from .models import LicenseRequest
from .selectors import license_requests_for


@member_required
def request_license(request, slug: str):
    product = get_object_or_404(Product.objects.offered(), slug=slug)
    membership = request.access.membership
    colleagues = Membership.objects.for_tenant(request.access.tenant).members().exclude(pk=membership.pk)
    form = LicenseRequestForm(request.POST or None, colleagues=colleagues.select_related("user"))
    if request.method == "POST" and form.is_valid():
        try:
            file_request(
                requester=membership,
                product=product,
                colleagues=list(form.cleaned_data["colleagues"]),
                note=form.cleaned_data["note"],
            )
        except LicenseRequestError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your request for %(product)s was sent to your admins. You'll get an email when they decide.")
                % {"product": product.name},
            )
            return redirect("selfservice:catalog")
    return render(request, "selfservice/request_license.html", {"product": product, "form": form})


def _open_subscriptions(tenant, product_ids: set[int]):
    """Subscriptions of these products that still have free seats."""
    return (
        Subscription.objects.for_tenant(tenant)
        .licenses_work()
        .filter(product_id__in=product_ids, seats_assigned__lt=F("seats"))
        .select_related("product")
        .order_by("channel", "-seats")
    )


@billing_admin_required
def license_requests(request):
    status = request.GET.get("status", "pending")
    if status not in ("pending", "completed", "all"):
        status = "pending"
    requests = list(license_requests_for(request.access.tenant, status=status)[:200])
    open_by_product = defaultdict(list)
    for subscription in _open_subscriptions(request.access.tenant, {item.product_id for item in requests}):
        open_by_product[subscription.product_id].append(subscription)
    rows = [
        (
            item,
            ApproveRequestForm(subscriptions=open_by_product[item.product_id], prefix=item.pk)
            if item.status == LicenseRequest.Status.PENDING
            else None,
        )
        for item in requests
    ]
    return render(request, "selfservice/license_requests.html", {"rows": rows, "status": status})


@billing_admin_required
@require_POST
def decide_license_request(request, pk: int):
    item = get_object_or_404(license_requests_for(request.access.tenant), pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            candidates = list(_open_subscriptions(request.access.tenant, {item.product_id}))
            form = ApproveRequestForm(request.POST, subscriptions=candidates, prefix=item.pk)
            if not form.is_valid():
                raise LicenseRequestError(_("Choose a subscription with free seats to assign from."))
            approve_license_request(
                license_request=item,
                subscription=next(s for s in candidates if s.pk == form.cleaned_data["subscription"]),
                actor=request.user,
                message=form.cleaned_data["message"],
            )
            messages.success(request, _("Approved: the licenses are assigned and the requester is told."))
        else:
            form = RejectRequestForm(request.POST)
            if not form.is_valid():
                raise LicenseRequestError(_("Tell the requester why: write a short message."))
            reject_license_request(license_request=item, actor=request.user, message=form.cleaned_data["message"])
            messages.success(request, _("Rejected; the requester is told."))
    except PurchaseError as error:
        messages.error(request, error.message)
    return redirect("selfservice:license_requests")
