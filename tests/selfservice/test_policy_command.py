import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from selfservice.models import SelfServicePolicy
from tenants.models import AuditEvent


def run(*args) -> str:
    out = StringIO()
    call_command("selfservice_policy", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_list_shows_every_product(demo):
    output = run("list", "--tenant", "contoso.example")
    assert len(output.strip().splitlines()) == 8
    assert "power-bi-pro" in output and "Enabled" in output


@pytest.mark.django_db
def test_set_then_get_round_trip_as_json(demo):
    run("set", "--tenant", "contoso.example", "--product", "visio-plan-2", "--value", "Disabled")
    result = json.loads(run("get", "--tenant", "contoso.example", "--product", "visio-plan-2", "--json"))
    assert result == {
        "policyId": "AllowSelfServicePurchase",
        "productId": "visio-plan-2",
        "productName": "Visio Plan 2",
        "policyValue": "Disabled",
    }
    assert AuditEvent.objects.get().via == "command"


@pytest.mark.django_db
def test_set_without_a_product_sets_every_product(demo):
    listing = json.loads(
        run("set", "--tenant", "fabrikam.example", "--value", "OnlyTrialsWithoutPaymentMethod", "--json")
    )
    assert {row["policyValue"] for row in listing} == {"OnlyTrialsWithoutPaymentMethod"}


@pytest.mark.django_db
def test_the_command_changes_what_the_checkout_offers(client, demo):
    client.force_login(demo.user("alex"))
    seats = reverse("selfservice:seats", args=["visio-plan-2"])
    assert "Continue to payment" in client.get(seats).content.decode()
    run("set", "--tenant", "contoso.example", "--product", "visio-plan-2", "--value", "Disabled")
    page = client.get(seats).content.decode()
    assert "Contact your IT admin" in page and "Continue to payment" not in page
    run("set", "--tenant", "contoso.example", "--product", "visio-plan-2", "--value", "OnlyTrialsWithoutPaymentMethod")
    page = client.get(seats).content.decode()
    assert "Start free trial" in page and "Continue to payment" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["get", "--tenant", "nowhere.example", "--product", "power-bi-pro"], "No tenant has the verified domain"),
        (["get", "--tenant", "contoso.example", "--product", "power-bi-max"], "Unknown product 'power-bi-max'"),
        (["get", "--tenant", "contoso.example"], "get needs --product"),
        (["set", "--tenant", "contoso.example", "--product", "power-bi-pro"], "set needs --value"),
        (
            ["set", "--tenant", "contoso.example", "--product", "power-bi-pro", "--value", "Off"],
            "is not a policy value",
        ),
        (["set", "--tenant", "contoso.example", "--value", "Off"], "is not a policy value"),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_a_clear_error_and_changes_nothing(demo, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert SelfServicePolicy.objects.count() == 0
    assert AuditEvent.objects.count() == 0
