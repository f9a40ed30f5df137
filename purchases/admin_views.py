"""Admin center billing pages: every subscription of the tenant, for global, billing and partner admins."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from tenants.scoping import billing_admin_required

from .selectors import history_of, invoices_of, licenses_of, subscriptions_of_tenant


@billing_admin_required
def your_products(request):
    subscriptions = subscriptions_of_tenant(request.access.tenant)[:50]
    return render(request, "purchases/your_products.html", {"subscriptions": subscriptions})


@billing_admin_required
def subscription_detail(request, pk: int):
    subscription = get_object_or_404(subscriptions_of_tenant(request.access.tenant), pk=pk)
    context = {
        "subscription": subscription,
        "licenses": licenses_of(subscription),
        "invoices": invoices_of(subscription),
        "history": history_of(subscription),
    }
    return render(request, "purchases/subscription_detail.html", context)
