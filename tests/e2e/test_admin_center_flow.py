"""The admin center through the real pages."""

import pytest
from playwright.sync_api import Page, expect

from purchases.models import Channel, Subscription
from support.models import CancellationRequest

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("localstripe")]


@pytest.mark.django_db(transaction=True)
def test_gina_centralizes_alexs_power_bi_pro_and_requests_cancellation(
    page: Page, live_server, demo_purchases, sign_in
):
    sign_in("gina@contoso.example")
    page.get_by_role("link", name="Admin center").click()
    page.get_by_role("link", name="Your products").click()
    expect(page.get_by_role("link", name="Power BI Pro")).to_have_count(0)  # central only by default
    page.get_by_role("link", name="Include self-service").click()
    expect(page.get_by_role("cell", name="Alex Wilber")).to_be_visible()
    page.get_by_role("link", name="Power BI Pro").click()
    expect(page.get_by_role("heading", name="Power BI Pro")).to_be_visible()
    expect(page.get_by_text("bought by Alex Wilber (alex@contoso.example)")).to_be_visible()

    page.get_by_role("link", name="Centralize").click()
    page.get_by_label("Seats in the central subscription").fill("10")
    page.get_by_label("Annual").check()
    page.get_by_role("button", name="Buy and move users").click()
    expect(page.get_by_text("Central subscription bought and 1 users moved onto it.")).to_be_visible()
    central = Subscription.objects.get(channel=Channel.CENTRAL, product__slug="power-bi-pro")
    assert central.licenses.filter(membership__user__email="alex@contoso.example").exists()

    page.get_by_role("navigation", name="Admin center").get_by_role("link", name="Your products").click()
    page.get_by_role("link", name="Include self-service").click()
    page.get_by_role("row", name="Alex Wilber").get_by_role("link", name="Power BI Pro").click()
    page.get_by_role("link", name="Request cancellation").click()
    page.get_by_label("Reason").fill("Centralized under the Contoso agreement.")
    page.get_by_role("button", name="Send to support").click()
    expect(page.get_by_role("status").filter(has_text="Cancellation requested by gina@contoso.example")).to_be_visible()
    request = CancellationRequest.objects.get()
    assert request.subscription.buyer.user.email == "alex@contoso.example" and request.status == "new"


@pytest.mark.django_db(transaction=True)
def test_a_billing_admin_disables_a_product_and_a_member_is_told_to_contact_it(page: Page, live_server, demo, browser):
    admin = page
    admin.goto(f"{live_server.url}/accounts/login/")
    admin.get_by_label("Email").fill("bill@contoso.example")
    admin.get_by_label("Password").fill(demo.password)
    admin.get_by_role("button", name="Sign in").click()
    admin.get_by_role("link", name="Admin center").click()
    admin.get_by_role("link", name="Self-service purchases").click()
    admin.get_by_label("Policy for Visio Plan 2", exact=True).select_option("Disabled")
    admin.get_by_role("button", name="Save policy for Visio Plan 2").click()
    expect(admin.get_by_text("Visio Plan 2: Disabled.")).to_be_visible()

    member = browser.new_context().new_page()
    member.goto(f"{live_server.url}/buy/visio-plan-2/")
    member.get_by_label("Work email").fill("sam@contoso.example")
    member.get_by_role("button", name="Next").click()
    member.get_by_label("Password").fill(demo.password)
    member.get_by_role("button", name="Sign in").click()
    expect(member.get_by_role("heading", name="Contact your IT admin")).to_be_visible()
    expect(member.get_by_text("Contoso has turned off self-service purchases of Visio Plan 2.")).to_be_visible()
    expect(member.get_by_role("button", name="Continue to payment")).to_have_count(0)
    member.get_by_role("link", name="Request a license").click()
    member.get_by_label("Note to your admin").fill("For the network diagrams.")
    member.get_by_role("button", name="Send request").click()
    expect(member.get_by_text("Your request for Visio Plan 2 was sent to your admins.")).to_be_visible()
