"""Background work for self-service: thin, idempotent wrappers around services."""

from celery import shared_task

from purchases.tasks import TRANSIENT_ERRORS

from . import license_requests


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def email_license_request_decision(request_id: int) -> None:
    license_requests.email_decision(request_id)


@shared_task
def expire_license_requests() -> int:
    return license_requests.expire_license_requests()
