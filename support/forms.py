from django import forms
from django.utils.translation import gettext_lazy as _

from purchases.services import RefundRule


class CancelOnBehalfForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("term_end", _("At the end of the term")), ("now", _("Immediately (licenses stop now)"))],
        initial="term_end",
        widget=forms.RadioSelect,
    )
    refund = forms.ChoiceField(
        label=_("Refund"), choices=RefundRule.choices, initial=RefundRule.WINDOW, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the admin and the buyer (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    message = forms.CharField(
        label=_("Why (sent to the admin)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
