"""Admin center billing pages: every subscription of the tenant, for global, billing and partner admins."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.core.paginator import EmptyPage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_tables2.paginators import LazyPaginator

from support.models import CancellationRequest
from tenants.models import Tenant
from tenants.scoping import billing_admin_required

from .filters import ChannelView, YourProductsFilter
from .selectors import history_of, invoices_of, licenses_of, subscriptions_of_tenant
from .tables import PAGE_SIZE, YourProductsTable, export_rows

EXPORT_PARAMETER = "_export"
# Far beyond any real tenant, and keeps OFFSET well inside a bigint.
MAX_PAGE = 10_000_000
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@billing_admin_required
def your_products(request: HttpRequest) -> HttpResponse:
    """Billing › Your products (SPEC §6): filter, sort and page the tenant's subscriptions, or export them as CSV."""
    tenant = request.access.tenant
    filterset = YourProductsFilter(request.GET, queryset=subscriptions_of_tenant(tenant))
    table = YourProductsTable(filterset.qs)
    table.order_by = request.GET.get(table.prefixed_order_by_field, "")
    if request.GET.get(EXPORT_PARAMETER) == "csv":
        return _csv_response(export_rows(table), filename=_export_filename(tenant))
    _paginate(table, request.GET.get(table.prefixed_page_field))
    context = {
        "table": table,
        "filterset": filterset,
        "channel_views": ChannelView.choices,
        "has_rows": bool(table.page.object_list),
    }
    if not context["has_rows"]:
        # Only an empty page pays for this query: it tells "nothing yet" from "filtered away".
        context["tenant_has_subscriptions"] = subscriptions_of_tenant(tenant).exists()
    return render(request, "purchases/your_products.html", context)


def _page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def _paginate(table: YourProductsTable, raw_page: str | None) -> None:
    """25 rows a page without COUNT(*): the lazy paginator only looks one row ahead."""
    try:
        table.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE, page=_page_number(raw_page))
    except EmptyPage:
        # Past the last page (a lazy paginator cannot know where that is): show the first one.
        table.paginate(paginator_class=LazyPaginator, per_page=PAGE_SIZE, page=1)


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _spreadsheet_safe(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_spreadsheet_safe(cell) for cell in row])


def _csv_response(rows: Iterable[list], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_filename(tenant: Tenant) -> str:
    return f"your-products-{tenant.slug}-{timezone.localdate().isoformat()}.csv"


@billing_admin_required
def subscription_detail(request, pk: int):
    subscription = get_object_or_404(subscriptions_of_tenant(request.access.tenant), pk=pk)
    context = {
        "subscription": subscription,
        "licenses": licenses_of(subscription),
        "invoices": invoices_of(subscription),
        "history": history_of(subscription),
        "open_request": CancellationRequest.objects.filter(subscription=subscription).open().first(),
    }
    return render(request, "purchases/subscription_detail.html", context)
