from django.urls import path

from . import admin_actions, admin_views

app_name = "purchases"

urlpatterns = [
    path("admin-center/billing/products/", admin_views.your_products, name="products"),
    path("admin-center/billing/buy/", admin_actions.central_purchase, name="central_purchase"),
    path("admin-center/billing/subscriptions/<int:pk>/", admin_views.subscription_detail, name="subscription"),
    path("admin-center/billing/subscriptions/<int:pk>/centralize/", admin_actions.centralize_view, name="centralize"),
    path(
        "admin-center/billing/subscriptions/<int:pk>/request-cancellation/",
        admin_actions.request_cancellation_view,
        name="request_cancellation",
    ),
    path(
        "admin-center/billing/subscriptions/<int:pk>/message-buyer/",
        admin_actions.message_buyer_view,
        name="message_buyer",
    ),
    path("admin-center/billing/invoices/<int:pk>/pdf/", admin_actions.invoice_pdf, name="invoice_pdf"),
    path(
        "admin-center/billing/cancellation-requests/",
        admin_actions.cancellation_requests,
        name="cancellation_requests",
    ),
]
