"""Who pays and how: billing accounts, cards, invoices (gapless, immutable), payments, refunds."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchases.money import Money
from tenants.models import Membership, Tenant, TenantScopedQuerySet, User


class BillingAccount(models.Model):
    """Who is billed: a self-service buyer (card) or the organization itself (invoice)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="billing_accounts")
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="billing_account"
    )
    gateway_customer_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=Q(membership__isnull=True), name="billing_account_one_per_organization"
            ),
            models.UniqueConstraint(
                fields=["gateway_customer_id"], condition=~Q(gateway_customer_id=""), name="billing_account_customer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user if self.membership else self.tenant}"

    @property
    def default_card(self) -> PaymentMethod | None:
        return self.payment_methods.filter(is_default=True, detached_at__isnull=True).first()


class PaymentMethod(models.Model):
    """A card stored at the gateway; we keep only what identifies it to its owner."""

    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="payment_methods")
    gateway_payment_method_id = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    detached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(is_default=True, detached_at__isnull=True),
                name="payment_method_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand.title()} •••• {self.last4}"

    @property
    def label(self) -> str:
        return f"{self.brand.title()} •••• {self.last4} ({self.exp_month:02d}/{self.exp_year})"


class InvoiceSequence(models.Model):
    """The last number issued in a series; locked while numbering so numbers have no gaps."""

    series = models.CharField(max_length=16, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last_number}"


class InvoiceQuerySet(TenantScopedQuerySet):
    def payable(self) -> InvoiceQuerySet:
        return self.filter(status__in=[Invoice.Status.OPEN, Invoice.Status.FAILED])


class Invoice(models.Model):
    """Issued with a number and never edited afterwards; only its payment status moves."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        SEATS_ADDED = "seats_added", _("Additional seats")
        RENEWAL = "renewal", _("Renewal")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Payment failed")
        REFUNDED = "refunded", _("Refunded")
        VOID = "void", _("Void")

    PAYMENT_FIELDS = frozenset({"status", "paid_at", "refunded_minor"})

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invoices")
    subscription = models.ForeignKey("purchases.Subscription", on_delete=models.PROTECT, related_name="invoices")
    account = models.ForeignKey(BillingAccount, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("number"), max_length=32, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3)
    total_minor = models.BigIntegerField(_("total (tax-free)"))
    refunded_minor = models.BigIntegerField(default=0)
    bill_to_name = models.CharField(max_length=200)
    bill_to_email = models.EmailField(blank=True)
    bill_to_organization = models.CharField(max_length=200)
    by_card = models.BooleanField(
        default=True, help_text=_("Charged to a card; otherwise invoiced to the organization.")
    )
    issued_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total_minor__gte=0), name="invoice_total_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_minor__gte=0) & Q(refunded_minor__lte=models.F("total_minor")),
                name="invoice_refund_within_total",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status"]), models.Index(fields=["subscription", "-issued_at"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        # Once issued, only the payment status may change: the document itself is immutable.
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if not update_fields or not set(update_fields) <= self.PAYMENT_FIELDS:
                raise TypeError("An issued invoice cannot be changed; only its payment status moves.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Issued invoices are kept.")

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)

    @property
    def refunded(self) -> Money:
        return Money(self.refunded_minor, self.currency)

    @property
    def is_payable(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.FAILED) and self.by_card


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=1)
    description = models.CharField(max_length=240)
    quantity = models.PositiveIntegerField()
    unit_amount_minor = models.BigIntegerField()
    amount_minor = models.BigIntegerField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()

    class Meta:
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return self.description

    @property
    def unit_amount(self) -> Money:
        return Money(self.unit_amount_minor, self.invoice.currency)

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.invoice.currency)


class Payment(models.Model):
    """One attempt to collect an invoice at the gateway; the idempotency key makes retries safe."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REQUIRES_ACTION = "requires_action", _("Needs authentication")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    attempt = models.PositiveSmallIntegerField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    gateway_payment_id = models.CharField(max_length=64, blank=True)
    payment_method = models.ForeignKey(PaymentMethod, on_delete=models.SET_NULL, null=True, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    off_session = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "attempt"], name="payment_attempt_unique"),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="succeeded"), name="payment_one_success_per_invoice"
            ),
            # A gateway payment settles one attempt of one invoice, never two.
            models.UniqueConstraint(
                fields=["gateway_payment_id"], condition=~Q(gateway_payment_id=""), name="payment_gateway_id_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.attempt}: {self.status}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


class Refund(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.BigIntegerField()
    gateway_refund_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=240, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_positive")]

    def __str__(self) -> str:
        return f"{self.payment.invoice}: -{self.amount_minor}"
