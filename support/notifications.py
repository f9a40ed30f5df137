"""Who is told what when support handles a cancellation request (each message once)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tenants.services import send_email_once

from .models import CancellationRequest


def notify_request_done(request_id: int) -> None:
    request = (
        CancellationRequest.objects.select_related("subscription__product", "subscription__buyer__user", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.is_open:
        return
    recipients = {request.requested_by_label}
    if request.status == CancellationRequest.Status.DONE and request.subscription.buyer:
        recipients.add(request.subscription.buyer.user.email)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request, "subscription": request.subscription}
        subject = render_to_string("emails/cancellation_request_done_subject.txt", context).strip()
        body = render_to_string("emails/cancellation_request_done.txt", context)
    for email in sorted(recipients):
        send_email_once(key=f"cancellation-request-done:{request.pk}:{email}", to=email, subject=subject, body=body)
