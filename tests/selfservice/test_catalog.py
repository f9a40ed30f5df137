import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_visitors_see_every_product_in_dollars_by_default(client, demo):
    page = client.get(reverse("selfservice:catalog")).content.decode()
    assert page.count('class="card product-card"') == 8
    assert "$14.00" in page and "$140.00" in page


@pytest.mark.django_db
def test_visitors_choose_their_currency(client, demo):
    client.post(reverse("selfservice:choose_currency"), {"currency": "NOK"})
    page = client.get(reverse("selfservice:catalog")).content.decode()
    assert "NOK" in page and "154.00" in page
    client.post(reverse("selfservice:choose_currency"), {"currency": "XXX"})  # unknown: ignored
    assert "NOK" in client.get(reverse("selfservice:catalog")).content.decode()


@pytest.mark.django_db
def test_signed_in_members_see_their_tenants_currency_in_their_language(client, demo):
    client.force_login(demo.user("jonas"))
    page = client.get(reverse("selfservice:catalog"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "13,30\xa0€" in page  # Power BI Pro in Germany, German number format


@pytest.mark.django_db
def test_norwegian_prices_in_norwegian(client, demo):
    client.force_login(demo.user("ola"))
    page = client.get(reverse("selfservice:catalog"), HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "154,00\xa0kr" in page


@pytest.mark.django_db
def test_the_product_page_says_why_in_plain_words(client, demo):
    client.force_login(demo.user("ana"))
    page = client.get(reverse("selfservice:product", args=["visio-plan-1"])).content.decode()
    assert "Visio Plan 1 is not sold through self-service in Brazil." in page
    assert "Contact your IT admin" in page
    page = client.get(reverse("selfservice:product", args=["power-bi-pro"])).content.decode()
    assert "Buy Power BI Pro" in page


@pytest.mark.django_db
def test_ineligible_buyers_get_no_checkout_form(client, demo):
    client.force_login(demo.user("teo"))
    page = client.get(reverse("selfservice:seats", args=["power-bi-pro"])).content.decode()
    assert "Self-service purchases are only available to commercial organizations" in page
    assert "Continue to payment" not in page and "Contact your IT admin" in page


@pytest.mark.django_db
def test_an_unknown_product_is_not_found(client, demo):
    assert client.get("/buy/power-bi-max/").status_code == 404
    assert client.get("/products/power-bi-max/").status_code == 404


@pytest.mark.django_db
def test_the_catalog_costs_a_constant_number_of_queries(client, demo, django_assert_max_num_queries):
    client.force_login(demo.user("alex"))
    with django_assert_max_num_queries(16):
        client.get(reverse("selfservice:catalog"))
