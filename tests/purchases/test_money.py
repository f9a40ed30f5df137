from decimal import Decimal

import pytest

from purchases.money import Money, round_minor


def test_money_adds_and_multiplies_in_minor_units():
    assert Money(1400, "USD") * 3 + Money(50, "USD") == Money(4250, "USD")


def test_money_refuses_mixed_currencies_and_floats():
    with pytest.raises(ValueError):
        Money(100, "USD") + Money(100, "EUR")
    with pytest.raises(TypeError):
        Money(1.5, "USD")
    with pytest.raises(TypeError):
        Money(100, "USD") * 1.5


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,234.50"), ("de", "1.234,50\xa0$"), ("nb", "1\xa0234,50\xa0USD")],
)
def test_money_is_formatted_for_the_language(language, expected):
    assert Money(123450, "USD").format(language) == expected


def test_euro_and_krone_formats():
    assert Money(2280, "EUR").format("de") == "22,80\xa0€"
    assert Money(15400, "NOK").format("nb") == "154,00\xa0kr"


def test_currencies_without_minor_units():
    assert Money(1500, "JPY").decimal == Decimal("1500")
    assert Money(1500, "USD").decimal == Decimal("15.00")


@pytest.mark.parametrize(("value", "expected"), [("2.5", 3), ("2.4999", 2), ("-2.5", -3), ("0.5", 1)])
def test_rounding_is_half_up(value, expected):
    assert round_minor(Decimal(value)) == expected


def test_prorating_rounds_to_the_minor_unit():
    assert Money(1400, "USD").prorated(10, 30) == Money(467, "USD")  # 466.67 → 467
    with pytest.raises(ValueError):
        Money(1400, "USD").prorated(1, 0)
