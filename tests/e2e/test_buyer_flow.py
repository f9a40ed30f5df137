"""The buyer's restricted view through the real pages."""

import pytest
from playwright.sync_api import Page, expect

from purchases.models import Subscription

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("localstripe")]


@pytest.mark.django_db(transaction=True)
def test_alex_adds_seats_assigns_sam_downloads_an_invoice_and_cancels(page: Page, live_server, demo_purchases, sign_in):
    sign_in("alex@contoso.example")
    page.get_by_role("link", name="My purchases").click()
    page.get_by_role("link", name="Power BI Pro").click()
    expect(page.get_by_role("heading", name="Power BI Pro")).to_be_visible()

    page.get_by_role("link", name="Buy more seats").first.click()
    page.get_by_label("Licenses to add").fill("2")
    expect(page.get_by_test_id("prorated")).to_have_text("$28.00")
    page.get_by_role("button", name="Confirm and pay").click()
    expect(page.get_by_text("2 licenses added.")).to_be_visible()
    expect(page.locator("#seat-counter")).to_contain_text("7")

    licenses = page.get_by_role("region", name="Licenses")
    licenses.get_by_label("Find people by name or email").fill("sam")
    expect(licenses.get_by_label("Gina Torres")).to_have_count(0)
    licenses.get_by_label("Sam Carter").check()
    licenses.get_by_role("button", name="Assign licenses").click()
    expect(page.get_by_text("License assigned to sam@contoso.example.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Licenses").get_by_role("cell", name="sam@contoso.example", exact=True)
    ).to_be_visible()

    invoices = page.get_by_role("region", name="Invoices")
    with page.expect_download() as download_info:
        invoices.get_by_role("link", name="Download SW-").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("SW-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("link", name="Cancel subscription").click()
    expect(page.get_by_text("is refunded to your card")).to_be_visible()
    page.get_by_role("button", name="Cancel subscription").click()
    expect(page.get_by_text("Your subscription is cancelled; it will not renew.")).to_be_visible()
    expect(page.get_by_text("it will not renew.", exact=False).first).to_be_visible()

    subscription = Subscription.objects.get(product__slug="power-bi-pro")
    assert subscription.seats == 7 and subscription.cancelled_at is not None
    assert subscription.licenses.filter(membership__user__email="sam@contoso.example").exists()
