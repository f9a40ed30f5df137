"""Billing › Your products (SPEC §6): every subscription of the tenant, filtered, sorted, paged and exported."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from purchases.models import Subscription
from tenants.scoping import SESSION_KEY

PAGE = reverse("purchases:products")
DETAIL_LINK = re.compile(r'href="/admin-center/billing/subscriptions/(\d+)/"')

pytestmark = pytest.mark.django_db


def subscription_fields(demo, *, tenant="contoso", product="power-bi-pro", channel="central", buyer=None, **fields):
    """What a subscription needs, with sensible defaults: 5 seats at $10.00, active, ending in 200 days."""
    now = timezone.now()
    return {
        "tenant": demo.tenant(tenant),
        "product": demo.product(product),
        "channel": channel,
        "buyer": demo.membership(buyer) if buyer else None,
        "billing_period": "annual",
        "seats": 5,
        "unit_price_minor": 1_000,
        "currency": "USD",
        "status": Subscription.Status.ACTIVE,
        "term_start": now - timedelta(days=30),
        "term_end": now + timedelta(days=200),
        **fields,
    }


def subscribe(demo, **kwargs) -> Subscription:
    return Subscription.objects.create(**subscription_fields(demo, **kwargs))


def subscribe_many(demo, count: int, **kwargs) -> list[Subscription]:
    """`count` alike subscriptions whose seats run 1, 2, … (so a sort by seats has something to do)."""
    fields = subscription_fields(demo, **kwargs)
    fields.pop("seats")
    return Subscription.objects.bulk_create(Subscription(seats=1 + n % 40, **fields) for n in range(count))


def sign_in(client, demo, login: str = "gina"):
    client.force_login(demo.user(login))
    if login == "pat":  # the partner admin works in the customer's tenant
        session = client.session
        session[SESSION_KEY] = str(demo.tenant("contoso").pk)
        session.save()


def listed(response) -> list[int]:
    """The subscriptions on the page, in the order shown (each row links to its detail page)."""
    assert response.status_code == 200
    return [int(pk) for pk in DETAIL_LINK.findall(response.content.decode())]


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def links_of(response, label: str) -> str:
    """The address of the link with that exact text."""
    pattern = r'<a [^>]*href="([^"]*)"[^>]*>\s*' + re.escape(label) + r"\s*</a>"
    match = re.search(pattern, response.content.decode())
    assert match, f"no link {label!r}"
    return unescape(match.group(1))


def cells_of(response, pk: int) -> list[str]:
    """The text of each cell in the row of that subscription."""
    for row in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S):
        if f"/admin-center/billing/subscriptions/{pk}/" in row:
            return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row for subscription {pk}")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# Channels ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def three_channels(demo):
    return {
        "central": subscribe(demo, channel="central"),
        "partner": subscribe(demo, channel="partner"),
        "self_service": subscribe(demo, channel="self_service", buyer="alex"),
    }


def test_the_page_shows_the_organizations_own_purchases_by_default(client, demo, three_channels):
    sign_in(client, demo)
    assert sorted(listed(client.get(PAGE))) == sorted([three_channels["central"].pk, three_channels["partner"].pk])


def test_all_channels_show_central_partner_and_self_service(client, demo, three_channels):
    sign_in(client, demo)
    assert sorted(listed(client.get(PAGE, {"channel": "all"}))) == sorted(s.pk for s in three_channels.values())


def test_self_service_only_hides_central_and_partner(client, demo, three_channels):
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"channel": "self_service"})) == [three_channels["self_service"].pk]


def test_an_unknown_channel_falls_back_to_central_and_partner(client, demo, three_channels):
    sign_in(client, demo)
    assert sorted(listed(client.get(PAGE, {"channel": "everything"}))) == sorted(
        [three_channels["central"].pk, three_channels["partner"].pk]
    )


def test_the_channel_switch_marks_the_active_view_and_keeps_the_other_filters(client, demo, three_channels):
    sign_in(client, demo)
    response = client.get(PAGE, {"channel": "all", "status": "active", "sort": "-seats", "page": "1"})
    page = response.content.decode()
    assert re.search(r'<a href="[^"]*"\s+aria-current="true">Include self-service</a>', page)
    assert not re.search(r'aria-current="true">Central and partner</a>', page)
    switch = query_of(links_of(response, "Self-service only"))
    assert switch == {"channel": ["self_service"], "status": ["active"], "sort": ["-seats"]}


# Filters ----------------------------------------------------------------------------------------------------------


def test_filtering_by_product_slug(client, demo):
    visio = subscribe(demo, product="visio-plan-2")
    subscribe(demo, product="power-bi-pro")
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"product": "visio-plan-2"})) == [visio.pk]


def test_an_unknown_product_is_reported_and_left_out_of_the_filter(client, demo):
    shown = subscribe(demo)
    sign_in(client, demo)
    response = client.get(PAGE, {"product": "no-such-product"})
    assert listed(response) == [shown.pk]
    assert "Select a valid choice" in response.content.decode()


def test_filtering_by_status(client, demo):
    subscribe(demo, status=Subscription.Status.ACTIVE)
    past_due = subscribe(demo, status=Subscription.Status.PAST_DUE)
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"status": "past_due"})) == [past_due.pk]


@pytest.fixture
def two_buyers(demo):
    return {
        "alex": subscribe(demo, channel="self_service", buyer="alex"),
        "sam": subscribe(demo, channel="self_service", buyer="sam"),
    }


def test_filtering_by_buyer_email_is_exact_and_ignores_case(client, demo, two_buyers):
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"channel": "all", "buyer": "Alex@Contoso.Example"})) == [two_buyers["alex"].pk]
    assert listed(client.get(PAGE, {"channel": "all", "buyer": "alex@contoso"})) == []


def test_filtering_by_buyer_name_matches_any_part_of_it(client, demo, two_buyers):
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"channel": "all", "buyer": "wILB"})) == [two_buyers["alex"].pk]
    assert listed(client.get(PAGE, {"channel": "all", "buyer": "carter"})) == [two_buyers["sam"].pk]


def test_expiring_within_keeps_the_terms_that_end_in_the_next_n_days(client, demo):
    now = timezone.now()
    soon = subscribe(demo, term_end=now + timedelta(days=10))
    subscribe(demo, term_end=now + timedelta(days=40))
    subscribe(demo, term_end=now - timedelta(days=1))  # already over
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"expiring_within": "30"})) == [soon.pk]


@pytest.mark.parametrize("bad", ["soon", "1.5", "-3", "0", "99999"])
def test_a_bad_expiring_within_is_reported_and_ignored(client, demo, bad):
    everything = {subscribe(demo, term_end=timezone.now() + timedelta(days=days)).pk for days in (10, 400)}
    sign_in(client, demo)
    response = client.get(PAGE, {"expiring_within": bad})
    assert set(listed(response)) == everything
    page = response.content.decode()
    assert 'class="errorlist"' in page
    assert "Some filters could not be applied" in page


def test_clearing_the_filters_keeps_the_channel_and_the_sort(client, demo):
    subscribe(demo)
    sign_in(client, demo)
    response = client.get(PAGE, {"channel": "all", "status": "active", "expiring_within": "soon", "sort": "seats"})
    assert query_of(links_of(response, "Clear filters")) == {"channel": ["all"], "sort": ["seats"]}


# Sorting ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def assorted(demo):
    """Subscriptions that differ in every column, with a few ties so the id decides."""
    now = timezone.now()
    rows = [
        ("visio-plan-2", "central", None, 3, 1, 50, 900, "active", 5),
        ("power-bi-pro", "self_service", "sam", 7, 7, 20, 1_400, "past_due", 1),
        ("project-plan-1", "partner", None, 3, 0, 300, 1_000, "trial", 3),
        ("power-bi-pro", "self_service", "alex", 12, 4, 20, 500, "cancelled", 2),
        ("power-apps-premium", "central", None, 1, 1, 90, 2_000, "expired", 4),
        ("visio-plan-2", "self_service", "bill", 7, 2, 120, 1_000, "active", 6),
    ]
    return [
        subscribe(
            demo,
            product=product,
            channel=channel,
            buyer=buyer,
            seats=seats,
            seats_assigned=assigned,
            term_end=now + timedelta(days=days),
            unit_price_minor=price,
            status=status,
            created_at=now - timedelta(days=age),
        )
        for product, channel, buyer, seats, assigned, days, price, status, age in rows
    ]


SORT_KEYS = {
    "product": lambda s: (s.product.name, s.pk),
    "channel": lambda s: (s.channel, s.created_at, s.pk),
    # PostgreSQL puts missing buyers last when ascending (and first when descending).
    "buyer": lambda s: (s.buyer is None, s.buyer.user.full_name if s.buyer else "", s.pk),
    "seats": lambda s: (s.seats, s.pk),
    "seats_assigned": lambda s: (s.seats_assigned, s.pk),
    "term_end": lambda s: (s.term_end, s.pk),
    "amount_per_term": lambda s: (s.seats * s.unit_price_minor, s.pk),
    "status": lambda s: (s.status, s.pk),
}


@pytest.mark.parametrize("column", SORT_KEYS)
def test_every_column_sorts_ascending_and_descending(client, demo, assorted, column):
    ascending = [s.pk for s in sorted(assorted, key=SORT_KEYS[column])]
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"channel": "all", "sort": column})) == ascending
    assert listed(client.get(PAGE, {"channel": "all", "sort": f"-{column}"})) == ascending[::-1]


def test_without_a_sort_the_newest_purchase_comes_first(client, demo, assorted):
    sign_in(client, demo)
    newest_first = [s.pk for s in sorted(assorted, key=lambda s: s.created_at, reverse=True)]
    assert listed(client.get(PAGE, {"channel": "all"})) == newest_first


def test_a_sorted_header_says_so_and_its_link_keeps_the_filters(client, demo, assorted):
    sign_in(client, demo)
    response = client.get(PAGE, {"channel": "all", "status": "active", "sort": "seats", "page": "1"})
    page = response.content.decode()
    assert re.search(r'<th scope="col" class="[^"]*\basc\b[^"]*" aria-sort="ascending">', page)
    assert query_of(links_of(response, "Seats purchased")) == {
        "channel": ["all"],
        "status": ["active"],
        "sort": ["-seats"],
    }
    assert query_of(links_of(response, "Expiration date")) == {
        "channel": ["all"],
        "status": ["active"],
        "sort": ["term_end"],
    }


def test_an_unknown_sort_is_ignored(client, demo, assorted):
    sign_in(client, demo)
    assert len(listed(client.get(PAGE, {"channel": "all", "sort": "tenant"}))) == len(assorted)


# What a row shows -------------------------------------------------------------------------------------------------


def test_a_row_shows_product_channel_buyer_seats_expiry_price_and_status(client, demo):
    bought = subscribe(
        demo,
        channel="self_service",
        buyer="alex",
        seats=5,
        seats_assigned=2,
        unit_price_minor=1_400,
        term_end=datetime(2031, 3, 14, 12, tzinfo=UTC),
    )
    central = subscribe(demo, channel="central", product="visio-plan-1", status=Subscription.Status.TRIAL)
    sign_in(client, demo)
    response = client.get(PAGE, {"channel": "all"})
    assert cells_of(response, bought.pk) == [
        "Power BI Pro",
        "Self-service",
        "Alex Wilber",
        "5",
        "2",
        "March 14, 2031",
        "$70.00",
        "Active",
    ]
    assert cells_of(response, central.pk)[1:3] == ["Central", "—"]
    assert cells_of(response, central.pk)[-1] == "Trial"


# Pages ------------------------------------------------------------------------------------------------------------


def test_pages_hold_25_rows_and_lead_to_the_next_one(client, demo):
    made = subscribe_many(demo, 30)
    sign_in(client, demo)
    first = client.get(PAGE, {"sort": "seats"})
    assert len(listed(first)) == 25
    next_page = links_of(first, "Next")
    assert query_of(next_page) == {"sort": ["seats"], "page": ["2"]}
    second = client.get(PAGE + next_page)
    assert len(listed(second)) == 5
    assert 'rel="next"' not in second.content.decode()
    assert sorted(listed(first) + listed(second)) == sorted(s.pk for s in made)


@pytest.mark.parametrize("page", ["two", "0", "-1", "99", "9" * 30])
def test_a_page_that_does_not_exist_shows_the_first(client, demo, page):
    subscribe_many(demo, 30)
    sign_in(client, demo)
    assert listed(client.get(PAGE, {"page": page})) == listed(client.get(PAGE))


def test_an_organization_without_subscriptions_is_told_so(client, demo):
    sign_in(client, demo)
    assert "Your organization has no subscriptions yet." in client.get(PAGE).content.decode()


def test_when_filters_hide_everything_the_page_says_so_and_offers_every_channel(client, demo):
    subscribe(demo, channel="self_service", buyer="alex")
    sign_in(client, demo)
    response = client.get(PAGE, {"status": "trial"})
    assert "No subscriptions match these filters." in response.content.decode()
    assert query_of(links_of(response, "Include every channel")) == {"channel": ["all"], "status": ["trial"]}


# CSV export -------------------------------------------------------------------------------------------------------


def test_the_csv_holds_every_filtered_row_in_the_chosen_order_not_one_page(client, demo):
    made = subscribe_many(demo, 40, product="project-plan-3")
    subscribe(demo, product="visio-plan-1")  # filtered out
    subscribe(demo, product="project-plan-3", channel="self_service", buyer="alex")  # not central
    sign_in(client, demo)
    response = client.get(PAGE, {"product": "project-plan-3", "sort": "-seats", "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="your-products-contoso-')
    rows = csv_rows(response)
    expected = sorted(made, key=lambda s: (s.seats, s.pk), reverse=True)
    assert [int(row["Subscription ID"]) for row in rows] == [s.pk for s in expected]
    assert {row["Product"] for row in rows} == {"Project Plan 3"}
    assert {row["Channel"] for row in rows} == {"Central"}


def test_the_csv_carries_plain_amounts_with_their_currency(client, demo):
    subscribe(demo, channel="self_service", buyer="alex", seats=3, unit_price_minor=1_450)
    sign_in(client, demo)
    [row] = csv_rows(client.get(PAGE, {"channel": "self_service", "_export": "csv"}))
    assert row["Purchase price"] == "43.50"
    assert row["Currency"] == "USD"
    assert row["Buyer"] == "Alex Wilber"
    assert row["Buyer email"] == "alex@contoso.example"
    assert row["Status"] == "Active"
    assert list(row) == [
        "Subscription ID",
        "Product",
        "Channel",
        "Buyer",
        "Buyer email",
        "Seats purchased",
        "Seats assigned",
        "Expiration date",
        "Purchase price",
        "Currency",
        "Status",
    ]


def test_the_csv_defuses_names_that_a_spreadsheet_would_run_as_formulas(client, demo):
    alex = demo.user("alex")
    alex.full_name = '=HYPERLINK("http://evil.example","Alex")'
    alex.save()
    subscribe(demo, channel="self_service", buyer="alex")
    sign_in(client, demo)
    [row] = csv_rows(client.get(PAGE, {"channel": "self_service", "_export": "csv"}))
    assert row["Buyer"].startswith("'=")


def test_the_export_link_keeps_the_filters_and_the_sort(client, demo):
    subscribe(demo)
    sign_in(client, demo)
    response = client.get(PAGE, {"channel": "all", "buyer": "alex", "sort": "-term_end", "page": "1"})
    export = query_of(links_of(response, "Export CSV"))
    assert export == {"channel": ["all"], "buyer": ["alex"], "sort": ["-term_end"], "_export": ["csv"]}


# Speed ------------------------------------------------------------------------------------------------------------


def queries_for(client, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(*args, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def test_the_page_needs_as_many_queries_for_200_subscriptions_as_for_10(client, demo):
    for channel, buyer in (("central", None), ("self_service", "alex")):
        subscribe_many(demo, 5, channel=channel, buyer=buyer)
    sign_in(client, demo)
    client.get(PAGE)  # the first request of a session pays for things only it does
    view = {"channel": "all", "product": "power-bi-pro", "sort": "buyer"}
    few, few_csv = queries_for(client, PAGE, view), queries_for(client, PAGE, {**view, "_export": "csv"})
    for channel, buyer in (("central", None), ("self_service", "sam"), ("partner", None)):
        subscribe_many(demo, 64, channel=channel, buyer=buyer)
    assert Subscription.objects.count() == 202
    assert queries_for(client, PAGE, view) == few
    assert queries_for(client, PAGE, {**view, "_export": "csv"}) == few_csv


# Who may see it ---------------------------------------------------------------------------------------------------


def test_an_admin_of_another_tenant_sees_nothing_of_contoso(client, demo):
    subscribe(demo, tenant="contoso")
    theirs = subscribe(demo, tenant="fabrikam", currency="EUR")
    sign_in(client, demo, "greta")
    assert listed(client.get(PAGE, {"channel": "all"})) == [theirs.pk]
    rows = csv_rows(client.get(PAGE, {"channel": "all", "_export": "csv"}))
    assert [int(row["Subscription ID"]) for row in rows] == [theirs.pk]


def test_a_member_is_refused(client, demo):
    subscribe(demo)
    sign_in(client, demo, "alex")
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE, {"_export": "csv"}).status_code == 403


def test_a_partner_admin_working_in_contoso_sees_its_subscriptions(client, demo):
    made = subscribe(demo)
    sign_in(client, demo, "pat")
    assert listed(client.get(PAGE)) == [made.pk]
