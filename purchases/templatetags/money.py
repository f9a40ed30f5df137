from django import template

from purchases.money import Money

register = template.Library()


@register.filter
def money(value: Money | None) -> str:
    """{{ amount|money }} — the localized amount with its currency (the one money formatter)."""
    return value.format() if value is not None else ""


@register.simple_tag
def minor(amount_minor: int | None, currency: str) -> str:
    """{% minor invoice.total_minor invoice.currency %} for values kept as minor units."""
    return Money(int(amount_minor or 0), currency).format()
