from .billing import BillingAccount, Invoice, InvoiceLine, InvoiceSequence, Payment, PaymentMethod, Refund
from .catalog import BillingPeriod, Channel, MarketRestriction, Price, Product
from .subscriptions import LicenseAssignment, OrderEvent, Subscription

__all__ = [
    "BillingAccount",
    "BillingPeriod",
    "Channel",
    "Invoice",
    "InvoiceLine",
    "InvoiceSequence",
    "LicenseAssignment",
    "MarketRestriction",
    "OrderEvent",
    "Payment",
    "PaymentMethod",
    "Price",
    "Product",
    "Refund",
    "Subscription",
]
