"""Cancellation requests: admins ask, the vendor's support staff act (admins never cancel directly)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from purchases.errors import PurchaseError
from purchases.models import OrderEvent, Subscription
from purchases.services import record_event
from purchases.services.centralization import actor_role
from tenants.models import User
from tenants.scoping import TenantAccess

from .models import CancellationRequest


class CancellationRequestError(PurchaseError):
    code = "cancellation_request_refused"


@transaction.atomic
def request_cancellation(
    *, access: TenantAccess, actor: User, subscription: Subscription, reason: str
) -> CancellationRequest:
    """Queue a self-service subscription for cancellation by the vendor's support, with the admin's reason."""
    reason = reason.strip()
    if not reason:
        raise CancellationRequestError(_("Give a reason: support needs it to act on your request."))
    subscription = Subscription.objects.for_tenant(access.tenant).select_for_update().get(pk=subscription.pk)
    if not subscription.is_self_service:
        raise CancellationRequestError(_("Central subscriptions are managed by your organization, not by a buyer."))
    if subscription.is_cancelled or not subscription.is_running:
        raise CancellationRequestError(_("This subscription is already cancelled or ended."))
    try:
        with transaction.atomic():
            request = CancellationRequest.objects.create(
                tenant=access.tenant,
                subscription=subscription,
                requested_by=actor,
                requested_by_label=actor.email,
                requester_role=actor_role(access),
                reason=reason[:2000],
            )
    except IntegrityError:
        raise CancellationRequestError(
            _("A cancellation request for this subscription is already with support.")
        ) from None
    record_event(
        subscription=subscription, kind=OrderEvent.Kind.CANCELLATION_REQUESTED, actor=actor, note=reason[:2000]
    )
    return request
