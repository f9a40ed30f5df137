"""Self-service policy per tenant and product, checkouts in progress, and license requests."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchases.models import BillingPeriod, Product, Subscription
from purchases.money import Money
from tenants.models import Membership, Tenant, TenantScopedQuerySet, User


class PolicyValue(models.TextChoices):
    """The values of the vendor's AllowSelfServicePurchase policy (MSCommerce PowerShell module)."""

    ENABLED = "Enabled", _("Enabled")
    DISABLED = "Disabled", _("Disabled")
    ONLY_TRIALS = "OnlyTrialsWithoutPaymentMethod", _("Only trials without payment method")


class NewProductDefault(models.TextChoices):
    ENABLED = "Enabled", _("Enabled")
    DISABLED = "Disabled", _("Disabled")


POLICY_ID = "AllowSelfServicePurchase"


class SelfServiceSettings(models.Model):
    """Tenant-wide self-service settings: what a product added to the catalog later starts with."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="selfservice_settings")
    default_for_new_products = models.CharField(
        max_length=40, choices=NewProductDefault.choices, default=NewProductDefault.ENABLED
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.tenant}: new products {self.default_for_new_products}"


class SelfServicePolicy(models.Model):
    """An explicit policy value; a product without one uses the tenant's default for new products."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="selfservice_policies")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=40, choices=PolicyValue.choices, default=PolicyValue.ENABLED)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = TenantScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "product"], name="policy_one_per_tenant_product")]

    def __str__(self) -> str:
        return f"{self.tenant} / {self.product}: {self.value}"


class Checkout(models.Model):
    """A purchase in progress: the chosen seats and price, then the card, then the charge.

    The token names it in URLs and forms; completing it twice returns the first result, so a
    double click or a retried request never charges twice.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REQUIRES_ACTION = "requires_action", _("Waiting for card authentication")
        COMPLETED = "completed", _("Completed")
        ABANDONED = "abandoned", _("Abandoned")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="checkouts")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveIntegerField()
    billing_period = models.CharField(max_length=10, choices=BillingPeriod.choices)
    unit_price_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    setup_intent_id = models.CharField(max_length=64, blank=True)
    payment_intent_id = models.CharField(max_length=64, blank=True)
    payment_method_id = models.CharField(max_length=64, blank=True)
    subscription = models.OneToOneField(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkout"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="checkout_at_least_one_seat"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(subscription__isnull=False), name="checkout_completed_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} × {self.seats} for {self.membership.user}"

    @property
    def total(self) -> Money:
        return Money(self.seats * self.unit_price_minor, self.currency)

    @property
    def unit_price(self) -> Money:
        return Money(self.unit_price_minor, self.currency)


class LicenseRequestQuerySet(TenantScopedQuerySet):
    def pending(self) -> LicenseRequestQuerySet:
        return self.filter(status=LicenseRequest.Status.PENDING)


class LicenseRequest(models.Model):
    """A member asks the admins for a license of a product they may not buy themselves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    LIFETIME_DAYS = 30

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="license_requests")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="license_requests")
    recipients = models.ManyToManyField(Membership, related_name="licenses_requested_for")
    note = models.TextField(_("note to your admin"), blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_message = models.TextField(blank=True, max_length=1000)
    subscription = models.ForeignKey(Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = LicenseRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tenant", "status", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "product"], condition=Q(status="pending"), name="license_request_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} for {self.requester.user} ({self.status})"
