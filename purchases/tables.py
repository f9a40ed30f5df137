"""The admin center's "Your products" table: columns, sorting and the values its CSV export carries."""

from __future__ import annotations

from collections.abc import Iterator

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .models import Channel, Subscription
from .money import Money

PAGE_SIZE = 25
NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}
EXPORT_CHUNK_SIZE = 2000
STATUS_BADGE = "purchases/partials/status_badge.html"


def export_only(verbose_name: str, **kwargs) -> tables.Column:
    """A column that is in the CSV but not on the page."""
    return tables.Column(verbose_name=verbose_name, visible=False, orderable=False, **kwargs)


class YourProductsTable(tables.Table):
    """Every subscription of one tenant; each sortable column ends its ORDER BY with the id (stable pages).

    Each ORDER BY is served by an index of `Subscription.Meta.indexes`, except product and buyer,
    which sort by a name in a joined table (see bench/README.md for what that costs).
    """

    id = export_only(_("Subscription ID"))
    product = tables.Column(
        verbose_name=_("Product"),
        accessor="product__name",
        order_by=("product__name", "id"),
        linkify=("purchases:subscription", {"pk": tables.A("pk")}),
    )
    # Ties inside a channel go by purchase date: the (tenant, channel, created_at, id) index of the default view.
    channel = tables.Column(verbose_name=_("Channel"), order_by=("channel", "created_at", "id"))
    buyer = tables.Column(
        verbose_name=_("Buyer"), accessor="buyer__user", order_by=("buyer__user__full_name", "id"), default="—"
    )
    buyer_email = export_only(_("Buyer email"), accessor="buyer__user__email")
    seats = tables.Column(verbose_name=_("Seats purchased"), order_by=("seats", "id"), attrs=NUMERIC)
    seats_assigned = tables.Column(verbose_name=_("Seats assigned"), order_by=("seats_assigned", "id"), attrs=NUMERIC)
    term_end = tables.DateColumn(verbose_name=_("Expiration date"), order_by=("term_end", "id"), short=False)
    amount_per_term = tables.Column(verbose_name=_("Purchase price"), order_by=("amount_per_term", "id"), attrs=NUMERIC)
    currency = export_only(_("Currency"))
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "id"))

    caption = _("Subscriptions")

    class Meta:
        per_page = PAGE_SIZE
        # Only the columns above: no field of the model appears by accident.
        fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._status_badges: dict[tuple[str, bool], tuple[str, str]] = {}

    # On the page -------------------------------------------------------------------------------------------------

    def render_buyer(self, value) -> str:
        return value.get_full_name()

    def render_amount_per_term(self, record: Subscription) -> str:
        return Money(record.amount_per_term, record.currency).format()

    def render_status(self, record: Subscription) -> str:
        return self._status_badge(record)[0]

    def _status_badge(self, record: Subscription) -> tuple[str, str]:
        """The status badge's HTML and its text; it depends on the status and the cancellation alone."""
        key = (record.status, record.is_cancelled)
        if key not in self._status_badges:  # render each kind once per table, not once per row
            badge = render_to_string(STATUS_BADGE, {"subscription": record})
            self._status_badges[key] = (badge, strip_tags(badge).strip())
        return self._status_badges[key]

    # In the CSV: one value_<column>(record) per exported column, plain text and numbers ----------------------------

    def value_id(self, record: Subscription) -> int:
        return record.pk

    def value_product(self, record: Subscription) -> str:
        return record.product.name

    def value_channel(self, record: Subscription) -> str:
        return str(Channel(record.channel).label)

    def value_buyer(self, record: Subscription) -> str:
        return record.buyer.user.get_full_name() if record.buyer_id else ""

    def value_buyer_email(self, record: Subscription) -> str:
        return record.buyer.user.email if record.buyer_id else ""

    def value_seats(self, record: Subscription) -> int:
        return record.seats

    def value_seats_assigned(self, record: Subscription) -> int:
        return record.seats_assigned

    def value_term_end(self, record: Subscription) -> str:
        return timezone.localdate(record.term_end).isoformat()

    def value_amount_per_term(self, record: Subscription) -> str:
        # Plain decimal (1234.50) for spreadsheets; the currency has its own column.
        return str(Money(record.amount_per_term, record.currency).decimal)

    def value_currency(self, record: Subscription) -> str:
        return record.currency

    def value_status(self, record: Subscription) -> str:
        # The badge's wording (an active subscription that was cancelled reads "Cancelled").
        return self._status_badge(record)[1]


def export_rows(table: YourProductsTable) -> Iterator[list]:
    """The header, then every row the filters and sort selected (not one page), like `Table.as_values()`.

    `as_values()` loads the whole queryset and resolves each cell through django-tables2's accessors
    (about 0.4 ms a row); this streams the rows in chunks from a server-side cursor and calls the
    same `value_*` methods directly.
    """
    columns = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    values = [getattr(table, f"value_{column.name}") for column in columns]
    yield [force_str(column.header) for column in columns]
    # table.data.data is the queryset after the table applied the requested sort.
    for record in table.data.data.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [value(record) for value in values]
