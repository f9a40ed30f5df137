"""Subscriptions, the licenses they hand out, and their append-only order history."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchases.money import Money
from tenants.models import AppendOnlyModel, AppendOnlyQuerySet, Membership, Tenant, TenantScopedQuerySet, User

from .catalog import BillingPeriod, Channel, Product


class SubscriptionQuerySet(TenantScopedQuerySet):
    def self_service(self) -> SubscriptionQuerySet:
        return self.filter(channel=Channel.SELF_SERVICE)

    def bought_by(self, membership: Membership) -> SubscriptionQuerySet:
        """A buyer's own self-service subscriptions: the restricted buyer view shows nothing else."""
        return self.filter(tenant_id=membership.tenant_id, channel=Channel.SELF_SERVICE, buyer=membership)

    def licenses_work(self) -> SubscriptionQuerySet:
        return self.filter(status__in=Subscription.LICENSED_STATUSES)


class Subscription(models.Model):
    class Status(models.TextChoices):
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Payment failed")
        EXPIRED = "expired", _("Expired")
        DISABLED = "disabled", _("Disabled")
        CANCELLED = "cancelled", _("Cancelled")
        DELETED = "deleted", _("Deleted")

    LICENSED_STATUSES = (Status.TRIAL, Status.ACTIVE, Status.PAST_DUE, Status.EXPIRED)

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="subscriptions")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    buyer = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions_bought",
        help_text=_("The person billed for a self-service subscription."),
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    billing_period = models.CharField(_("billing period"), max_length=10, choices=BillingPeriod.choices)
    seats = models.PositiveIntegerField(_("seats"))
    seats_assigned = models.PositiveIntegerField(_("seats assigned"), default=0)
    next_term_seats = models.PositiveIntegerField(_("seats from the next term"), null=True, blank=True)
    unit_price_minor = models.PositiveBigIntegerField(_("price per seat and period"))
    currency = models.CharField(_("currency"), max_length=3)
    amount_per_term = models.GeneratedField(
        expression=F("seats") * F("unit_price_minor"), output_field=models.BigIntegerField(), db_persist=True
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    term_start = models.DateTimeField(_("term start"))
    term_end = models.DateTimeField(_("term end"))
    auto_renew = models.BooleanField(_("renews automatically"), default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    centralized_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="centralized_from"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="subscription_at_least_one_seat"),
            # The database itself refuses more licenses than seats (the counter moves with each assignment).
            models.CheckConstraint(condition=Q(seats_assigned__lte=F("seats")), name="subscription_assigned_le_seats"),
            models.CheckConstraint(
                condition=Q(next_term_seats__isnull=True) | Q(next_term_seats__gte=1),
                name="subscription_next_term_seats_positive",
            ),
            models.CheckConstraint(
                condition=~Q(channel="self_service") | Q(buyer__isnull=False), name="subscription_self_service_buyer"
            ),
            models.CheckConstraint(condition=Q(term_end__gt=F("term_start")), name="subscription_term_positive"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="subscription_currency_iso"),
        ]
        indexes = [
            models.Index(fields=["tenant", "channel", "status"]),
            models.Index(fields=["buyer", "status"]),
            models.Index(fields=["status", "term_end"]),
            # Your products (admin center): each page is ORDER BY <column>, id LIMIT 26 over one tenant, so each
            # index below hands over the first rows in order instead of sorting the tenant's whole list.
            # One channel (the default view), newest first; also the sort by channel.
            models.Index(fields=["tenant", "channel", "created_at", "id"]),
            # One channel by expiration date, and "expiring within N days" in one channel.
            models.Index(fields=["tenant", "channel", "term_end", "id"]),
            # Every channel, by each sortable column (and the product, status and expiry filters).
            models.Index(fields=["tenant", "created_at", "id"]),
            models.Index(fields=["tenant", "term_end", "id"]),
            models.Index(fields=["tenant", "seats", "id"]),
            models.Index(fields=["tenant", "seats_assigned", "id"]),
            models.Index(fields=["tenant", "amount_per_term", "id"]),
            models.Index(fields=["tenant", "status", "id"]),
            models.Index(fields=["tenant", "product", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.seats} ({self.get_channel_display()})"

    @property
    def unit_price(self) -> Money:
        return Money(self.unit_price_minor, self.currency)

    @property
    def price_per_term(self) -> Money:
        return Money(self.seats * self.unit_price_minor, self.currency)

    @property
    def seats_free(self) -> int:
        return self.seats - self.seats_assigned

    @property
    def is_self_service(self) -> bool:
        return self.channel == Channel.SELF_SERVICE

    @property
    def is_trial(self) -> bool:
        return self.status == self.Status.TRIAL

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def licenses_work(self) -> bool:
        return self.status in self.LICENSED_STATUSES

    @property
    def is_running(self) -> bool:
        """Still in its paid or trial term and open to changes by its buyer."""
        return self.status in (self.Status.TRIAL, self.Status.ACTIVE, self.Status.PAST_DUE)

    @property
    def renews(self) -> bool:
        return self.auto_renew and self.cancelled_at is None and self.status == self.Status.ACTIVE

    @property
    def seats_next_term(self) -> int:
        return self.next_term_seats or self.seats


class LicenseAssignmentQuerySet(TenantScopedQuerySet):
    pass


class LicenseAssignment(models.Model):
    """One seat of a subscription given to one account of the same tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="licenses")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="licenses")
    assigned_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = LicenseAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["membership__user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "membership"], name="license_once_per_subscription"),
            models.UniqueConstraint(fields=["product", "membership"], name="license_one_per_product_and_user"),
        ]

    def __str__(self) -> str:
        return f"{self.product} → {self.membership.user}"


class OrderEvent(AppendOnlyModel):
    """The order history of a subscription: every purchase, change, payment and cancellation."""

    class Kind(models.TextChoices):
        PURCHASED = "purchased", _("Purchased")
        TRIAL_STARTED = "trial_started", _("Trial started")
        SEATS_ADDED = "seats_added", _("Seats added")
        SEATS_REDUCED = "seats_reduced", _("Seats reduced for the next term")
        RENEWED = "renewed", _("Renewed")
        PAYMENT_SUCCEEDED = "payment_succeeded", _("Payment received")
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        REFUNDED = "refunded", _("Refunded")
        LICENSE_ASSIGNED = "license_assigned", _("License assigned")
        LICENSE_UNASSIGNED = "license_unassigned", _("License unassigned")
        PAYMENT_METHOD_CHANGED = "payment_method_changed", _("Card replaced")
        CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
        CANCELLED = "cancelled", _("Cancelled")
        CENTRALIZED = "centralized", _("Users moved to a central subscription")
        STATUS_CHANGED = "status_changed", _("Status changed")
        MESSAGE_SENT = "message_sent", _("Message sent to the buyer")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True)
    on_behalf_of = models.CharField(max_length=254, blank=True)
    seats = models.IntegerField(null=True, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subscription", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def amount(self) -> Money | None:
        return Money(self.amount_minor, self.currency) if self.amount_minor is not None else None
