"""Background work for the support queue: thin, idempotent wrappers."""

from celery import shared_task

from purchases.tasks import TRANSIENT_ERRORS

from . import notifications


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def notify_request_done(request_id: int) -> None:
    """Tell the buyer and the requesting admin that support handled a cancellation request."""
    notifications.notify_request_done(request_id)
