from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class AccountRolesForm(forms.Form):
    is_global_admin = forms.BooleanField(label=_("Global admin"), required=False)
    is_billing_admin = forms.BooleanField(label=_("Billing admin"), required=False)


class SignInForm(LoginForm):
    """allauth's sign-in form, with the email filled in when the checkout found the organization."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = kwargs.get("request") or getattr(self, "request", None)
        if request is not None and not self.is_bound and request.GET.get("login"):
            self.initial["login"] = request.GET["login"].strip().lower()[:254]
