"""Background work for purchases: thin, idempotent wrappers around services (safe to run twice)."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from . import notifications

# Worth another try with backoff: the mail server or the database were briefly unreachable.
TRANSIENT_ERRORS = (SMTPException, ConnectionError, OperationalError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def notify_new_purchase(subscription_id: int) -> None:
    """Receipt to the buyer; email and in-app notice to the tenant's global and billing admins."""
    notifications.notify_new_purchase(subscription_id)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def deliver_buyer_message(event_id: int, link: str) -> None:
    """An admin's message to a buyer (e.g. please cancel after centralizing): email and in-app notice."""
    notifications.deliver_buyer_message(event_id, link)
