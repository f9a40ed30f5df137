import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def sign_in(live_server, page: Page, demo):
    """Sign in through the real sign-in page; returns the page."""

    def _sign_in(email: str, password: str | None = None) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password or demo.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)
        return page

    return _sign_in
