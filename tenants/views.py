from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .errors import TenantError
from .forms import AccountRolesForm
from .models import Membership, Notice
from .scoping import admin_required, global_admin_required, switch_tenant, tenant_required
from .selectors import accounts_for_tenant, search_text
from .services import mark_notices_read, set_account_enabled, set_admin_roles


@login_required
def start(request):
    """Where a sign-in lands: each role's natural first page."""
    access = request.access
    if access is None:
        return redirect("support:queue" if request.user.is_support_agent else "selfservice:catalog")
    if access.can_use_admin_center:
        return redirect("tenants:admin_home")
    return redirect("selfservice:my_purchases")


@login_required
@require_POST
def switch(request):
    access = switch_tenant(request, request.POST.get("tenant", ""))
    if access is None:
        messages.error(request, _("You have no access to that organization."))
    else:
        messages.success(request, _("You are now working in %(tenant)s.") % {"tenant": access.tenant.name})
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    return redirect(next_url or "start")


@tenant_required(lambda access: access.membership is not None)
def notices(request):
    """The user's in-app notices in the active tenant; opening the page marks them read."""
    items = list(Notice.objects.for_tenant(request.access.tenant).filter(recipient=request.access.membership)[:100])
    mark_notices_read(membership=request.access.membership)
    return render(request, "tenants/notices.html", {"notices": items})


@admin_required
def admin_home(request):
    from purchases.selectors import tenant_overview

    access = request.access
    accounts = accounts_for_tenant(access.tenant)
    context = {
        "member_count": accounts.filter(kind=Membership.Kind.MEMBER).count(),
        "guest_count": accounts.filter(kind=Membership.Kind.GUEST).count(),
        "domains": access.tenant.domains.all(),
        "overview": tenant_overview(access.tenant),
    }
    return render(request, "tenants/admin_home.html", context)


@global_admin_required
def users(request):
    search = search_text(request.GET.get("q"))
    page = Paginator(accounts_for_tenant(request.access.tenant, search=search), 50).get_page(request.GET.get("page"))
    return render(request, "tenants/users.html", {"page": page, "search": search})


@global_admin_required
@require_POST
def user_enabled(request, pk: int):
    membership = get_object_or_404(Membership.objects.for_tenant(request.access.tenant), pk=pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        set_account_enabled(access=request.access, actor=request.user, membership=membership, enabled=enabled)
    except TenantError as error:
        messages.error(request, error.message)
    else:
        if enabled:
            messages.success(request, _("%(email)s can sign in again.") % {"email": membership.user.email})
        else:
            messages.success(
                request,
                _("%(email)s is disabled. Subscriptions they bought keep running until cancelled.")
                % {"email": membership.user.email},
            )
    return redirect("tenants:users")


@global_admin_required
@require_POST
def user_roles(request, pk: int):
    membership = get_object_or_404(Membership.objects.for_tenant(request.access.tenant), pk=pk)
    form = AccountRolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The roles could not be read; please try again."))
        return redirect("tenants:users")
    try:
        set_admin_roles(access=request.access, actor=request.user, membership=membership, **form.cleaned_data)
    except TenantError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Roles of %(email)s saved.") % {"email": membership.user.email})
    return redirect("tenants:users")
