"""Every write that matters for subscriptions, licenses and billing: one function per business action.

Split by concept; import from here.
"""

from .billing import (
    LineSpec,
    billing_account_for,
    ensure_gateway_customer,
    issue_invoice,
    mark_invoice_paid,
    next_invoice_number,
    organization_account,
    save_card,
    term_line,
)
from .centralization import central_channel, centralize, message_buyer
from .changes import (
    RefundRule,
    add_seats,
    cancel_subscription,
    cancellation_terms,
    pay_invoice,
    quote_added_seats,
    reduce_seats_next_term,
    release_licenses,
    replace_card,
)
from .common import MAX_SEATS, actor_label, record_event, term_end, validate_seats
from .licenses import MAX_BULK_ASSIGN, assign_license, assign_licenses, license_held, move_licenses, unassign_license
from .purchases import (
    check_trial_fits,
    purchase_central_subscription,
    record_self_service_purchase,
    start_trial_subscription,
)

__all__ = [
    "check_trial_fits",
    "license_held",
    "RefundRule",
    "central_channel",
    "centralize",
    "message_buyer",
    "move_licenses",
    "MAX_BULK_ASSIGN",
    "MAX_SEATS",
    "add_seats",
    "assign_licenses",
    "cancel_subscription",
    "cancellation_terms",
    "pay_invoice",
    "quote_added_seats",
    "reduce_seats_next_term",
    "release_licenses",
    "replace_card",
    "LineSpec",
    "actor_label",
    "assign_license",
    "billing_account_for",
    "ensure_gateway_customer",
    "issue_invoice",
    "mark_invoice_paid",
    "next_invoice_number",
    "organization_account",
    "purchase_central_subscription",
    "record_event",
    "record_self_service_purchase",
    "save_card",
    "start_trial_subscription",
    "term_end",
    "term_line",
    "unassign_license",
    "validate_seats",
]
