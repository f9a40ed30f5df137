"""What a purchase rule can refuse; each message is written for the person who asked."""

from tenants.errors import SeatwiseError


class PurchaseError(SeatwiseError):
    code = "purchase_refused"


class InvalidSeats(PurchaseError):
    code = "invalid_seats"


class SeatLimitReached(PurchaseError):
    code = "seat_limit_reached"


class AlreadyLicensed(PurchaseError):
    code = "already_licensed"


class NotAssignable(PurchaseError):
    code = "not_assignable"


class SubscriptionClosed(PurchaseError):
    code = "subscription_closed"
