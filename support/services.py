"""Cancellation requests: admins ask, the vendor's support staff act (admins never cancel directly)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purchases.errors import PurchaseError
from purchases.models import OrderEvent, Subscription
from purchases.services import cancel_subscription, record_event
from purchases.services.centralization import actor_role
from tenants.models import User
from tenants.scoping import TenantAccess
from tenants.services import record_audit_event

from .models import CancellationRequest
from .tasks import notify_request_done


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


def _locked_open(request: CancellationRequest) -> CancellationRequest:
    locked = CancellationRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise CancellationRequestError(_("This request has already been handled."))
    return locked


@transaction.atomic
def take_request(*, request: CancellationRequest, agent: User) -> CancellationRequest:
    """An agent starts working on a request (status: in progress)."""
    request = _locked_open(request)
    request.status = CancellationRequest.Status.IN_PROGRESS
    request.handled_by = agent
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "handled_by", "updated_at"])
    record_audit_event(
        tenant=request.tenant, actor=agent, action="support.request_taken", target=str(request.subscription_id)
    )
    return request


@transaction.atomic
def cancel_on_behalf(
    *, request: CancellationRequest, agent: User, immediately: bool, refund: str, note: str = ""
) -> CancellationRequest:
    """Cancel the subscription for the requesting admin; the request, the agent and the admin are recorded."""
    request = _locked_open(request)
    on_behalf_of = request.requested_by_label
    if request.requester_role:
        on_behalf_of += f" ({request.requester_role})"
    cancel_subscription(
        subscription=request.subscription,
        actor=agent,
        reason=request.reason,
        on_behalf_of=on_behalf_of,
        immediately=immediately,
        refund=refund,
    )
    request.refresh_from_db()
    request.resolution = note.strip()[:2000]
    request.handled_by = agent
    request.save(update_fields=["resolution", "handled_by"])
    record_audit_event(
        tenant=request.tenant,
        actor=agent,
        action="support.cancelled",
        target=str(request.subscription_id),
        new_value=("immediately" if immediately else "at term end") + f", refund: {refund}",
    )
    transaction.on_commit(lambda: notify_request_done.delay(request.pk))
    return request


@transaction.atomic
def reject_request(*, request: CancellationRequest, agent: User, message: str) -> CancellationRequest:
    message = message.strip()
    if not message:
        raise CancellationRequestError(_("Tell the admin why: write a short message."))
    request = _locked_open(request)
    request.status = CancellationRequest.Status.REJECTED
    request.resolution = message[:2000]
    request.handled_by = agent
    request.handled_at = timezone.now()
    request.updated_at = request.handled_at
    request.save(update_fields=["status", "resolution", "handled_by", "handled_at", "updated_at"])
    record_audit_event(
        tenant=request.tenant,
        actor=agent,
        action="support.request_rejected",
        target=str(request.subscription_id),
        new_value=message[:254],
    )
    transaction.on_commit(lambda: notify_request_done.delay(request.pk))
    return request
