from django.urls import path

from . import buyer_views, checkout_views, license_request_views, settings_views, views

app_name = "selfservice"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("currency/", views.choose_currency, name="choose_currency"),
    path("products/<slug:slug>/", views.product_detail, name="product"),
    path("buy/<slug:slug>/", checkout_views.buy, name="buy"),
    path("buy/<slug:slug>/seats/", checkout_views.seats, name="seats"),
    path("buy/<slug:slug>/quote/", checkout_views.quote, name="quote"),
    path("buy/<slug:slug>/trial/", checkout_views.trial, name="trial"),
    path("buy/<slug:slug>/pay/<uuid:token>/", checkout_views.pay, name="pay"),
    path("buy/<slug:slug>/pay/<uuid:token>/card-intent/", checkout_views.card_intent, name="card_intent"),
    path("buy/<slug:slug>/done/<uuid:token>/", checkout_views.done, name="done"),
    path("request-license/<slug:slug>/", license_request_views.request_license, name="request_license"),
    path("admin-center/license-requests/", license_request_views.license_requests, name="license_requests"),
    path(
        "admin-center/license-requests/<int:pk>/decide/",
        license_request_views.decide_license_request,
        name="decide_license_request",
    ),
    path("admin-center/settings/self-service/", settings_views.self_service_settings, name="settings"),
    path("admin-center/settings/self-service/change/", settings_views.change_policy, name="change_policy"),
    path("admin-center/settings/api-tokens/", settings_views.api_tokens, name="api_tokens"),
    path("admin-center/settings/api-tokens/new/", settings_views.create_token, name="create_token"),
    path("admin-center/settings/api-tokens/<int:pk>/revoke/", settings_views.revoke_token, name="revoke_token"),
    path("my/", buyer_views.my_purchases, name="my_purchases"),
    path("my/subscriptions/<int:pk>/", buyer_views.subscription_detail, name="my_subscription"),
    path("my/subscriptions/<int:pk>/seats/add/", buyer_views.add_seats_view, name="add_seats"),
    path("my/subscriptions/<int:pk>/seats/reduce/", buyer_views.reduce_seats, name="reduce_seats"),
    path("my/subscriptions/<int:pk>/people/", buyer_views.people_search, name="people_search"),
    path("my/subscriptions/<int:pk>/licenses/assign/", buyer_views.assign, name="assign"),
    path("my/subscriptions/<int:pk>/licenses/<int:license_pk>/unassign/", buyer_views.unassign, name="unassign"),
    path("my/subscriptions/<int:pk>/cancel/", buyer_views.cancel, name="cancel"),
    path("my/invoices/", buyer_views.invoices, name="invoices"),
    path("my/invoices/<int:pk>/", buyer_views.invoice_detail, name="invoice"),
    path("my/invoices/<int:pk>/pdf/", buyer_views.invoice_pdf, name="invoice_pdf"),
    path("my/invoices/<int:pk>/pay/", buyer_views.invoice_pay, name="invoice_pay"),
    path("my/payment-method/", buyer_views.payment_method, name="payment_method"),
    path("my/payment-method/card-intent/", buyer_views.payment_method_intent, name="payment_method_intent"),
]
