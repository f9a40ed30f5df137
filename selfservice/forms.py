from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from purchases.models import BillingPeriod
from purchases.services import MAX_SEATS


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Work email"),
        help_text=_("We use it to find your organization."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SeatsForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Number of licenses"),
        min_value=1,
        max_value=MAX_SEATS,
        initial=1,
        error_messages={
            "min_value": _("Choose at least one license."),
            "max_value": _("Self-service purchases are limited to %(limit_value)s licenses; contact your IT admin."),
            "invalid": _("Enter a whole number of licenses."),
            "required": _("Enter how many licenses you need."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    billing_period = forms.ChoiceField(
        label=_("Billing period"),
        choices=BillingPeriod.choices,
        initial=BillingPeriod.MONTHLY,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, periods: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields["billing_period"].choices = [c for c in BillingPeriod.choices if c[0] in periods]


class TrialForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Licenses in the trial"),
        min_value=1,
        initial=1,
        error_messages={"min_value": _("Choose at least one license."), "invalid": _("Enter a whole number.")},
    )

    def __init__(self, *args, maximum: int = 25, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["seats"]
        field.widget.attrs["max"] = maximum
        field.validators.append(
            MaxValueValidator(maximum, message=_("A free trial has at most %(limit_value)s licenses."))
        )


class LicenseRequestForm(forms.Form):
    colleagues = forms.ModelMultipleChoiceField(
        label=_("Also request for colleagues (optional)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to your admin"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What do you need it for?"),
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleagues"].queryset = colleagues
        self.fields["colleagues"].label_from_instance = lambda m: f"{m.user.get_full_name()} ({m.user.email})"


class ApproveRequestForm(forms.Form):
    subscription = forms.TypedChoiceField(label=_("Assign from"), coerce=int)
    message = forms.CharField(label=_("Message (optional)"), required=False, max_length=1000)

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscription"].choices = [
            (
                s.pk,
                _("%(product)s, %(channel)s — %(free)s of %(seats)s seats free")
                % {
                    "product": s.product.name,
                    "channel": s.get_channel_display(),
                    "free": s.seats_free,
                    "seats": s.seats,
                },
            )
            for s in subscriptions
        ]


class RejectRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why (sent to the requester)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddSeatsForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Licenses to add"),
        min_value=1,
        max_value=MAX_SEATS,
        initial=1,
        error_messages={
            "min_value": _("Add at least one license."),
            "max_value": _("Add at most %(limit_value)s licenses at a time."),
            "invalid": _("Enter a whole number of licenses."),
            "required": _("Enter how many licenses to add."),
        },
    )
    request_key = forms.UUIDField(widget=forms.HiddenInput)


class ReduceSeatsForm(forms.Form):
    seats = forms.IntegerField(
        label=_("Licenses from the next term"),
        min_value=1,
        error_messages={"min_value": _("Keep at least one license."), "invalid": _("Enter a whole number.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
