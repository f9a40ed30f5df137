"""The vendor's support queue: cancellation requests from tenant admins."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purchases.models import Subscription
from tenants.models import Tenant, TenantScopedQuerySet, User


class CancellationRequestQuerySet(TenantScopedQuerySet):
    def open(self) -> CancellationRequestQuerySet:
        return self.filter(status__in=CancellationRequest.OPEN_STATUSES)


class CancellationRequest(models.Model):
    """An admin asks the vendor to cancel a buyer's self-service subscription (admins cannot do it)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")
        RESOLVED_BY_BUYER = "resolved_by_buyer", _("Resolved: the buyer cancelled")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="cancellation_requests")
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, related_name="cancellation_requests")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_by_label = models.CharField(max_length=254)
    requester_role = models.CharField(max_length=120, blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = CancellationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription"],
                condition=Q(status__in=["new", "in_progress"]),
                name="cancellation_request_one_open_per_subscription",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["tenant", "-created_at"])]

    def __str__(self) -> str:
        return f"Cancel {self.subscription} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
