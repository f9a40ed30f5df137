"""Shared pieces of the purchase services: seat rules, terms, the order history."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from purchases.errors import InvalidSeats
from purchases.models import BillingPeriod, OrderEvent, Subscription
from purchases.money import Money
from tenants.models import User

MAX_SEATS = 1000


def validate_seats(seats: int | None, *, maximum: int = MAX_SEATS) -> int:
    """Seats are a whole number from 1 up to the limit; anything else is a clear refusal."""
    if seats is None or isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= maximum:
        raise InvalidSeats(
            _("Choose between 1 and %(maximum)s licenses.") % {"maximum": f"{maximum:,}"},
        )
    return seats


def term_end(start: dt.datetime, billing_period: str) -> dt.datetime:
    return start + BillingPeriod(billing_period).term


def actor_label(user: User | None) -> str:
    return user.email if user else "Seatwise"


def record_event(
    *,
    subscription: Subscription,
    kind: str,
    actor: User | None,
    seats: int | None = None,
    amount: Money | None = None,
    note: str = "",
    on_behalf_of: str = "",
) -> OrderEvent:
    """Append one line to the subscription's order history."""
    return OrderEvent.objects.create(
        tenant_id=subscription.tenant_id,
        subscription=subscription,
        kind=kind,
        actor=actor,
        actor_label=actor_label(actor),
        on_behalf_of=on_behalf_of,
        seats=seats,
        amount_minor=amount.amount if amount else None,
        currency=amount.currency if amount else "",
        note=note,
    )
