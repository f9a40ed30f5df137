import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.urls import reverse

LOGIN = "/accounts/login/"


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password}, follow=True)


@pytest.mark.django_db
def test_a_member_signs_in_with_email_and_password(client, demo):
    response = sign_in(client, "alex@contoso.example", demo.password)
    assert response.wsgi_request.user.email == "alex@contoso.example"
    assert "Contoso" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_message(client, demo):
    response = sign_in(client, "alex@contoso.example", "not-the-password")
    assert not response.wsgi_request.user.is_authenticated
    assert "not correct" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_are_rate_limited(client, demo):
    for _ in range(5):
        sign_in(client, "bill@contoso.example", "wrong")
    response = sign_in(client, "bill@contoso.example", demo.password)
    assert not response.wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_a_disabled_account_cannot_sign_in(client, demo):
    response = sign_in(client, "dora@contoso.example", demo.password)
    assert not response.wsgi_request.user.is_authenticated
    assert "Your account is disabled" in response.content.decode()


@pytest.mark.django_db
def test_an_account_disabled_while_signed_in_is_signed_out(client, demo):
    sam = demo.membership("sam")
    client.force_login(sam.user)
    sam.enabled = False
    sam.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_the_support_agent_signs_in_without_any_tenant(client, demo):
    response = sign_in(client, "support@seatwise.example", demo.password)
    assert response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("support:queue")


@pytest.mark.django_db
def test_totp_is_asked_for_when_the_user_turned_it_on(client, demo):
    gina = demo.user("gina")
    secret = generate_totp_secret()
    TOTP.activate(gina, secret)

    response = sign_in(client, gina.email, demo.password)
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"}, follow=True)
    assert not wrong.wsgi_request.user.is_authenticated

    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.wsgi_request.user == gina


@pytest.mark.django_db
def test_password_reset_sends_an_email(client, demo):
    response = client.post(reverse("account_reset_password"), {"email": "ola@nordvind.example"}, follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ola@nordvind.example"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_sign_out_ends_the_session(client, demo):
    client.force_login(demo.user("alex"))
    client.post(reverse("account_logout"))
    assert client.get(reverse("tenants:admin_home")).status_code == 302


@pytest.mark.django_db
def test_there_is_no_public_sign_up(client, demo):
    response = client.get(reverse("account_signup"))
    assert "no public sign-up" in response.content.decode()
