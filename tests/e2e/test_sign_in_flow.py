import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_a_member_signs_in_and_reads_the_portal_in_german(sign_in, live_server):
    page = sign_in("alex@contoso.example")
    expect(page.get_by_text("Contoso", exact=True)).to_be_visible()
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.django_db(transaction=True)
def test_a_disabled_account_is_told_to_contact_the_it_admin(live_server, page, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("dora@contoso.example")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your account is disabled")).to_be_visible()
    expect(page.get_by_text("Contact your IT admin")).to_be_visible()
