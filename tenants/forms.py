from django import forms
from django.utils.translation import gettext_lazy as _


class AccountRolesForm(forms.Form):
    is_global_admin = forms.BooleanField(label=_("Global admin"), required=False)
    is_billing_admin = forms.BooleanField(label=_("Billing admin"), required=False)
