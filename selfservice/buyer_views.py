"""The buyer's restricted view at /my/: only their own self-service subscriptions."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from purchases.selectors import history_of, invoices_of, licenses_of, subscriptions_of_buyer
from tenants.scoping import member_required


def _own_subscription(request, pk: int):
    # Scoped to the buyer: another buyer's (or another tenant's) subscription is a 404.
    return get_object_or_404(subscriptions_of_buyer(request.access.membership), pk=pk)


@member_required
def my_purchases(request):
    subscriptions = subscriptions_of_buyer(request.access.membership)
    return render(request, "selfservice/my_purchases.html", {"subscriptions": subscriptions})


@member_required
def subscription_detail(request, pk: int):
    subscription = _own_subscription(request, pk)
    context = {
        "subscription": subscription,
        "licenses": licenses_of(subscription),
        "invoices": invoices_of(subscription),
        "history": history_of(subscription)[:50],
    }
    return render(request, "selfservice/my_subscription.html", context)
