"""Proration of added seats: days left over days in the term, per currency's minor unit."""

import datetime as dt

import pytest

from purchases.models import Subscription
from purchases.money import Money
from purchases.services import quote_added_seats, term_end

UTC = dt.UTC


def subscription(start, period="monthly", unit=1400, currency="USD", status="active"):
    return Subscription(
        term_start=start,
        term_end=term_end(start, period),
        billing_period=period,
        unit_price_minor=unit,
        currency=currency,
        status=status,
        seats=5,
    )


@pytest.mark.parametrize(
    ("start", "days_in_term"),
    [
        (dt.datetime(2026, 2, 1, tzinfo=UTC), 28),
        (dt.datetime(2028, 2, 1, tzinfo=UTC), 29),
        (dt.datetime(2026, 4, 1, tzinfo=UTC), 30),
        (dt.datetime(2026, 1, 1, tzinfo=UTC), 31),
        (dt.datetime(2026, 1, 31, tzinfo=UTC), 28),  # Jan 31 + 1 month = Feb 28
    ],
)
def test_a_monthly_term_has_the_days_of_its_month(start, days_in_term):
    quote = quote_added_seats(subscription(start), 1, at=start)
    assert quote.term_days == days_in_term
    assert quote.days_left == days_in_term
    assert quote.amount == Money(1400, "USD")  # a whole term costs the full price


def test_half_a_thirty_day_month_costs_half():
    start = dt.datetime(2026, 4, 1, tzinfo=UTC)
    quote = quote_added_seats(subscription(start), 2, at=start + dt.timedelta(days=15))
    assert (quote.days_left, quote.term_days) == (15, 30)
    assert quote.amount == Money(1400, "USD")  # 2 × 14.00 × 15/30


def test_a_started_day_counts_as_a_whole_day():
    start = dt.datetime(2026, 4, 1, tzinfo=UTC)
    quote = quote_added_seats(subscription(start), 1, at=start + dt.timedelta(days=29, hours=23))
    assert quote.days_left == 1
    assert quote.amount == Money(47, "USD")  # 14.00 / 30 = 0.4667 → 0.47


def test_february_days_cost_more_than_march_days():
    feb = quote_added_seats(
        subscription(dt.datetime(2026, 2, 1, tzinfo=UTC)), 1, at=dt.datetime(2026, 2, 22, tzinfo=UTC)
    )
    mar = quote_added_seats(
        subscription(dt.datetime(2026, 3, 1, tzinfo=UTC)), 1, at=dt.datetime(2026, 3, 25, tzinfo=UTC)
    )
    assert feb.days_left == mar.days_left == 7
    assert feb.amount == Money(350, "USD")  # 14.00 × 7/28
    assert mar.amount == Money(316, "USD")  # 14.00 × 7/31 = 3.1613


def test_annual_terms_prorate_over_365_or_366_days():
    start = dt.datetime(2027, 3, 1, tzinfo=UTC)
    quote = quote_added_seats(subscription(start, "annual", unit=14000), 3, at=start + dt.timedelta(days=183))
    assert (quote.days_left, quote.term_days) == (183, 366)  # the term spans 29 Feb 2028
    assert quote.amount == Money(21000, "USD")  # 3 × 140.00 × 183/366


def test_currencies_keep_their_minor_units():
    start = dt.datetime(2026, 4, 1, tzinfo=UTC)
    yen = quote_added_seats(subscription(start, unit=1500, currency="JPY"), 1, at=start + dt.timedelta(days=20))
    assert yen.amount == Money(500, "JPY")
    krone = quote_added_seats(subscription(start, unit=15400, currency="NOK"), 1, at=start + dt.timedelta(days=29))
    assert krone.amount == Money(513, "NOK")  # 154.00 / 30 = 5.1333 kr


def test_nothing_is_left_to_pay_at_the_term_end():
    start = dt.datetime(2026, 4, 1, tzinfo=UTC)
    assert quote_added_seats(subscription(start), 4, at=start + dt.timedelta(days=30)).amount == Money(0, "USD")


def test_seats_in_a_trial_are_free():
    start = dt.datetime(2026, 4, 1, tzinfo=UTC)
    assert quote_added_seats(subscription(start, status="trial"), 4, at=start).amount == Money(0, "USD")
