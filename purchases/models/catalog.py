"""The catalog is data: products, their prices per channel, currency and period, and market rules."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchases.money import Money


class Channel(models.TextChoices):
    SELF_SERVICE = "self_service", _("Self-service")
    CENTRAL = "central", _("Central")
    PARTNER = "partner", _("Partner")


class BillingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")

    @property
    def term(self) -> relativedelta:
        return relativedelta(months=1) if self == BillingPeriod.MONTHLY else relativedelta(years=1)


class ProductQuerySet(models.QuerySet):
    def offered(self) -> ProductQuerySet:
        return self.filter(is_active=True)


class Product(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=240, blank=True)
    description = models.TextField(_("description"), blank=True)
    trial_days = models.PositiveSmallIntegerField(_("trial length (days)"), default=0)
    trial_seats = models.PositiveSmallIntegerField(_("seats in a trial"), default=25)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    @property
    def has_trial(self) -> bool:
        return self.trial_days > 0


class PriceQuerySet(models.QuerySet):
    def for_channel(self, channel: str, currency: str) -> PriceQuerySet:
        return self.filter(channel=channel, currency=currency)


class Price(models.Model):
    """What one seat costs for one billing period, in minor units."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    currency = models.CharField(max_length=3)
    billing_period = models.CharField(max_length=10, choices=BillingPeriod.choices)
    amount_minor = models.PositiveBigIntegerField()

    objects = PriceQuerySet.as_manager()

    class Meta:
        ordering = ["product", "channel", "currency", "billing_period"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "channel", "currency", "billing_period"], name="price_one_per_combination"
            ),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="price_currency_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.channel} {self.billing_period}: {self.money}"

    @property
    def money(self) -> Money:
        return Money(self.amount_minor, self.currency)


class MarketRestrictionQuerySet(models.QuerySet):
    def blocking(self, *, country: str, product: Product, channel: str) -> MarketRestrictionQuerySet:
        return self.filter(country=country, channel=channel).filter(Q(product__isnull=True) | Q(product=product))


class MarketRestriction(models.Model):
    """A country where a product (or, with no product, every product) is not sold in a channel."""

    country = models.CharField(_("country"), max_length=2)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.SELF_SERVICE)

    objects = MarketRestrictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country", "product", "channel"],
                condition=Q(product__isnull=False),
                name="restriction_unique_product",
            ),
            models.UniqueConstraint(
                fields=["country", "channel"], condition=Q(product__isnull=True), name="restriction_unique_all"
            ),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="restriction_country_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.product or 'all products'} ({self.channel})"
