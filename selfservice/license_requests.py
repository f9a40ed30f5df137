"""License requests: when a product is blocked for them, members ask their admins instead.

Admins approve by assigning licenses from an existing subscription, or reject with a message;
the requester is emailed either way. Requests left pending expire after 30 days.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from purchases.errors import PurchaseError
from purchases.models import Product, Subscription
from purchases.services import assign_license
from tenants.models import Membership, User
from tenants.selectors import admins_of
from tenants.services import post_notice, send_email_once

from .models import LicenseRequest

MAX_RECIPIENTS = 20


class LicenseRequestError(PurchaseError):
    code = "license_request_refused"


@transaction.atomic
def request_license(
    *, requester: Membership, product: Product, colleagues: list[Membership], note: str = ""
) -> LicenseRequest:
    """File a request for the requester (and optionally colleagues of the same tenant)."""
    if requester.kind != Membership.Kind.MEMBER or not requester.enabled:
        raise LicenseRequestError(_("Only enabled members of the organization can request licenses."))
    if len(colleagues) > MAX_RECIPIENTS - 1:
        raise LicenseRequestError(
            _("Ask for at most %(count)s colleagues in one request.") % {"count": MAX_RECIPIENTS - 1}
        )
    for colleague in colleagues:
        if colleague.tenant_id != requester.tenant_id or colleague.kind != Membership.Kind.MEMBER:
            raise LicenseRequestError(_("Licenses can only be requested for members of your organization."))
    now = timezone.now()
    try:
        with transaction.atomic():
            license_request = LicenseRequest.objects.create(
                tenant_id=requester.tenant_id,
                product=product,
                requester=requester,
                note=note.strip(),
                created_at=now,
                expires_at=now + dt.timedelta(days=LicenseRequest.LIFETIME_DAYS),
            )
    except IntegrityError:
        raise LicenseRequestError(
            _("You already have a pending request for %(product)s.") % {"product": product.name}
        ) from None
    license_request.recipients.set([requester, *[c for c in colleagues if c.pk != requester.pk]])
    transaction.on_commit(lambda: _notify_admins(license_request.pk))
    return license_request


def _notify_admins(request_id: int) -> None:
    license_request = LicenseRequest.objects.select_related("product", "requester__user").get(pk=request_id)
    title = _("%(name)s requests %(product)s") % {
        "name": license_request.requester.user.get_full_name(),
        "product": license_request.product.name,
    }
    for admin in admins_of(license_request.tenant):
        post_notice(
            recipient=admin,
            key=f"license-request:{request_id}",
            title=title,
            body=license_request.note,
            link=reverse("selfservice:license_requests"),
        )


def _locked_pending(license_request: LicenseRequest) -> LicenseRequest:
    locked = LicenseRequest.objects.select_for_update().get(pk=license_request.pk)
    if locked.status != LicenseRequest.Status.PENDING:
        raise LicenseRequestError(_("This request has already been handled."))
    if locked.expires_at <= timezone.now():
        raise LicenseRequestError(_("This request has expired."))
    return locked


@transaction.atomic
def approve_license_request(
    *, license_request: LicenseRequest, subscription: Subscription, actor: User, message: str = ""
) -> LicenseRequest:
    """Assign a license from `subscription` to everyone in the request, all or nothing."""
    license_request = _locked_pending(license_request)
    if subscription.tenant_id != license_request.tenant_id or subscription.product_id != license_request.product_id:
        raise LicenseRequestError(_("Choose a subscription of the requested product in your organization."))
    recipients = list(license_request.recipients.select_related("user"))
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    unlicensed = [m for m in recipients if not m.licenses.filter(product_id=license_request.product_id).exists()]
    if len(unlicensed) > subscription.seats_free:
        raise LicenseRequestError(
            _("The subscription has %(free)s free seats but the request needs %(needed)s.")
            % {"free": subscription.seats_free, "needed": len(unlicensed)}
        )
    for membership in unlicensed:
        assign_license(subscription=subscription, membership=membership, actor=actor)
    return _decide(license_request, LicenseRequest.Status.APPROVED, actor, message, subscription=subscription)


@transaction.atomic
def reject_license_request(*, license_request: LicenseRequest, actor: User, message: str) -> LicenseRequest:
    if not message.strip():
        raise LicenseRequestError(_("Tell the requester why: write a short message."))
    license_request = _locked_pending(license_request)
    return _decide(license_request, LicenseRequest.Status.REJECTED, actor, message)


def _decide(license_request, status, actor, message, subscription=None) -> LicenseRequest:
    license_request.status = status
    license_request.decided_by = actor
    license_request.decided_at = timezone.now()
    license_request.decision_message = message.strip()
    license_request.subscription = subscription
    license_request.save()
    from .tasks import email_license_request_decision

    transaction.on_commit(lambda: email_license_request_decision.delay(license_request.pk))
    return license_request


def email_decision(request_id: int) -> None:
    license_request = LicenseRequest.objects.select_related("product", "requester__user", "decided_by").get(
        pk=request_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": license_request, "site_url": settings.SITE_URL}
        subject = render_to_string("emails/license_request_decided_subject.txt", context).strip()
        body = render_to_string("emails/license_request_decided.txt", context)
    send_email_once(
        key=f"license-request-decided:{request_id}",
        to=license_request.requester.user.email,
        subject=subject,
        body=body,
    )


def expire_license_requests(now: dt.datetime | None = None) -> int:
    """Pending requests older than 30 days expire (idempotent)."""
    now = now or timezone.now()
    return LicenseRequest.objects.filter(status=LicenseRequest.Status.PENDING, expires_at__lte=now).update(
        status=LicenseRequest.Status.EXPIRED, decided_at=now
    )
