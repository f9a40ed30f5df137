"""Money as integer minor units plus an ISO 4217 currency; never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language, to_locale


def minor_digits(currency: str) -> int:
    """How many decimals the currency has (2 for USD, EUR, NOK, BRL, INR; 0 for JPY)."""
    return get_currency_precision(currency)


def round_minor(value: Decimal) -> int:
    """Round a fractional amount of minor units half up (commercial rounding)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, order=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, int):
            raise TypeError("Money amounts are integers in minor units.")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 currency: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money) or other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {getattr(other, 'currency', other)!r}.")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int):
            raise TypeError("Multiply money by whole numbers only; prorate with `prorated`.")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def prorated(self, numerator: int, denominator: int) -> Money:
        """This amount × numerator / denominator, rounded half up to a minor unit."""
        if denominator <= 0:
            raise ValueError("Denominator must be positive.")
        return Money(round_minor(Decimal(self.amount) * numerator / denominator), self.currency)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-minor_digits(self.currency))

    def format(self, language: str | None = None) -> str:
        """Localized, e.g. $1,234.50 (en), 1.234,50 € (de), 1 234,50 kr (nb)."""
        locale = to_locale(language or get_language() or "en")
        return format_currency(self.decimal, self.currency, locale=locale)

    def __str__(self) -> str:
        return self.format()
