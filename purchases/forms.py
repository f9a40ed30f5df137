from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BillingPeriod, Product


class CentralizeForm(forms.Form):
    subscriptions = forms.TypedMultipleChoiceField(
        label=_("Self-service subscriptions to centralize"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one self-service subscription.")},
    )
    seats = forms.IntegerField(
        label=_("Seats in the central subscription"),
        min_value=1,
        max_value=100_000,
        error_messages={"min_value": _("Buy at least one seat."), "invalid": _("Enter a whole number of seats.")},
    )
    billing_period = forms.ChoiceField(
        label=_("Billing period"), choices=BillingPeriod.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message to the buyers (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("We ask each buyer to cancel their subscription; add your own words if you like."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscriptions"].choices = [
            (
                s.pk,
                _("%(buyer)s — %(seats)s seats, %(assigned)s assigned")
                % {"buyer": s.buyer.user.get_full_name(), "seats": s.seats, "assigned": s.seats_assigned},
            )
            for s in candidates
        ]


class CentralPurchaseForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.offered(), to_field_name="slug")
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=100_000,
        error_messages={"min_value": _("Buy at least one seat."), "invalid": _("Enter a whole number of seats.")},
    )
    billing_period = forms.ChoiceField(
        label=_("Billing period"), choices=BillingPeriod.choices, initial=BillingPeriod.ANNUAL, widget=forms.RadioSelect
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason: support needs it to act on your request.")},
    )


class BuyerMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the buyer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message for the buyer.")},
    )
