"""Buying through the real pages with localstripe's Stripe.js in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from purchases.models import Payment, Subscription

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("localstripe")]


def fill_card(page: Page, number: str) -> None:
    card = page.locator("#card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10115")


def reach_card_step(page: Page, live_server, password: str, seats: str) -> None:
    page.goto(f"{live_server.url}/buy/power-bi-premium-per-user/")
    page.get_by_label("Work email").fill("jonas@fabrikam.example")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Email")).to_have_value("jonas@fabrikam.example")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Buy Power BI Premium Per User")).to_be_visible()
    page.get_by_label("Number of licenses").fill(seats)
    expect(page.get_by_test_id("total")).to_have_text("€68.40")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name="Pay by card")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_jonas_buys_three_seats_of_power_bi_premium_per_user(page: Page, live_server, demo):
    reach_card_step(page, live_server, demo.password, "3")
    fill_card(page, "4242424242424242")
    page.get_by_role("button", name=re.compile(r"Pay €68\.40")).click()
    expect(page.get_by_role("heading", name="Thank you — your subscription is active")).to_be_visible()
    subscription = Subscription.objects.get()
    assert (subscription.seats, subscription.buyer.user.email, subscription.status) == (
        3,
        "jonas@fabrikam.example",
        "active",
    )
    assert Payment.objects.get().status == "succeeded"
    page.get_by_role("link", name="Assign licenses").click()
    licenses = page.get_by_role("region", name="Licenses")
    expect(licenses.get_by_role("cell", name="jonas@fabrikam.example", exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_declined_card_is_explained_and_nothing_is_bought(page: Page, live_server, demo):
    reach_card_step(page, live_server, demo.password, "3")
    fill_card(page, "4000000000000002")
    page.get_by_role("button", name=re.compile(r"Pay €68\.40")).click()
    expect(page.get_by_role("alert")).to_contain_text("Your card was declined.")
    assert not Subscription.objects.exists() and not Payment.objects.exists()
    # The buyer can try again with another card on the same page.
    fill_card(page, "4242424242424242")
    page.get_by_role("button", name=re.compile(r"Pay €68\.40")).click()
    expect(page.get_by_role("heading", name="Thank you — your subscription is active")).to_be_visible()
    assert Subscription.objects.count() == 1
