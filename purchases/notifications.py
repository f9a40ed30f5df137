"""Who is told what about purchases. Every message has a key, so sending twice sends once."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tenants.selectors import admins_of
from tenants.services import post_notice, send_email_once

from .models import OrderEvent, Subscription


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
    body = render_to_string(f"emails/{template}.txt", context)
    return subject, body


def notify_new_purchase(subscription_id: int) -> None:
    subscription = (
        Subscription.objects.select_related("product", "tenant", "buyer__user").filter(pk=subscription_id).first()
    )
    if subscription is None or subscription.buyer is None:
        return
    invoice = subscription.invoices.order_by("issued_at").first()
    context = {
        "subscription": subscription,
        "invoice": invoice,
        "buyer": subscription.buyer.user,
        "tenant": subscription.tenant,
        "my_link": absolute(reverse("selfservice:my_subscription", args=[subscription.pk])),
        "admin_link": absolute(reverse("purchases:subscription", args=[subscription.pk])),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render("purchase_receipt", context)
        send_email_once(
            key=f"purchase-receipt:{subscription.pk}", to=subscription.buyer.user.email, subject=subject, body=body
        )
        subject, body = _render("purchase_admin_notice", context)
        for admin in admins_of(subscription.tenant).exclude(pk=subscription.buyer_id):
            send_email_once(
                key=f"purchase-admin:{subscription.pk}:{admin.pk}", to=admin.user.email, subject=subject, body=body
            )
            post_notice(
                recipient=admin,
                key=f"purchase:{subscription.pk}",
                title=subject,
                body=body.split("\n\n")[0],
                link=reverse("purchases:subscription", args=[subscription.pk]),
            )


def deliver_buyer_message(event_id: int, link: str) -> None:
    event = (
        OrderEvent.objects.select_related("subscription__product", "subscription__buyer__user", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.subscription.buyer is None:
        return
    subscription = event.subscription
    buyer = subscription.buyer
    context = {"event": event, "subscription": subscription, "buyer": buyer.user, "link": absolute(link)}
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render("buyer_message", context)
    send_email_once(key=f"buyer-message:{event.pk}", to=buyer.user.email, subject=subject, body=body)
    post_notice(recipient=buyer, key=f"buyer-message:{event.pk}", title=subject, body=event.note, link=link)
