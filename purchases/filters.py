"""Filters of the admin center's "Your products" table: GET parameters in, a narrower queryset out."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, Product, Subscription

MAX_EXPIRING_WITHIN_DAYS = 3650


class ChannelView(models.TextChoices):
    """The three-way channel switch of SPEC §6: central only ↔ every channel ↔ self-service only."""

    CENTRAL = "central", _("Central and partner")
    ALL = "all", _("Include self-service")
    SELF_SERVICE = "self_service", _("Self-service only")


# The one channel a narrowed view shows; "all" shows central, partner and self-service alike.
# "Central" is what the organization bought itself, directly or through its partner.
CHANNELS_OF_VIEW = {
    ChannelView.CENTRAL: [Channel.CENTRAL, Channel.PARTNER],
    ChannelView.SELF_SERVICE: [Channel.SELF_SERVICE],
}


class DaysFilter(django_filters.NumberFilter):
    """A whole number of days (NumberFilter would accept 1.5)."""

    field_class = forms.IntegerField


class YourProductsFilter(django_filters.FilterSet):
    """Channel switch, product, status, buyer and "expiring within N days" for one tenant's subscriptions.

    `channel` defaults to central only, like the vendor's own page; an unknown value also means
    central only (the switch is a set of links, so only an edited address can send one). Any other
    invalid value leaves its filter out and shows the error next to the field.
    """

    channel = django_filters.ChoiceFilter(
        choices=ChannelView.choices, method="filter_channel", widget=forms.HiddenInput, label=_("Channel")
    )
    product = django_filters.ModelChoiceFilter(
        queryset=Product.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All products"),
        label=_("Product"),
    )
    status = django_filters.ChoiceFilter(
        choices=Subscription.Status.choices, empty_label=_("All statuses"), label=_("Status")
    )
    buyer = django_filters.CharFilter(
        method="filter_buyer",
        max_length=254,
        label=_("Buyer"),
        help_text=_("An email address (exact match) or part of a name."),
    )
    expiring_within = DaysFilter(
        method="filter_expiring_within",
        min_value=1,
        max_value=MAX_EXPIRING_WITHIN_DAYS,
        label=_("Expiring within (days)"),
        help_text=_("From now; for example 30."),
        error_messages={"invalid": _("Enter a whole number of days, for example 30.")},
    )

    class Meta:
        model = Subscription
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if data.get("channel") not in ChannelView.values:
            data["channel"] = ChannelView.CENTRAL
        super().__init__(data, *args, **kwargs)

    @property
    def channel_view(self) -> str:
        """The value of the channel switch in force (always valid, see `__init__`)."""
        return self.data["channel"]

    @property
    def narrows(self) -> bool:
        """True when the address carries a filter other than the channel switch (valid or not)."""
        return any(self.data.get(name, "").strip() for name in self.filters if name != "channel")

    def filter_channel(self, queryset: QuerySet[Subscription], name: str, value: str) -> QuerySet[Subscription]:
        if value == ChannelView.ALL:
            return queryset
        return queryset.filter(channel__in=CHANNELS_OF_VIEW[value])

    def filter_buyer(self, queryset: QuerySet[Subscription], name: str, value: str) -> QuerySet[Subscription]:
        if "@" in value:
            # lower() = lower() uses the unique index on lower(email); __iexact compares upper() and scans.
            return queryset.alias(buyer_email=Lower("buyer__user__email")).filter(buyer_email=value.lower())
        return queryset.filter(buyer__user__full_name__icontains=value)

    def filter_expiring_within(self, queryset: QuerySet[Subscription], name: str, days: int) -> QuerySet[Subscription]:
        now = timezone.now()
        return queryset.filter(term_end__gte=now, term_end__lte=now + timedelta(days=days))
