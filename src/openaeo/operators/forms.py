import re

from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.roles import MandateScope, OperatorRole

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


class OperatorRegisterForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name of the business"),
        max_length=200,
        help_text=_("As written in the company register."),
    )
    identifier = forms.CharField(
        label=_("Customs or tax identification number"),
        max_length=40,
        help_text=_("For example your EORI or TIN number."),
    )
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        min_length=2,
        help_text=_("Two letters, for example KE for Kenya or FR for France."),
    )

    def clean_country(self):
        value = self.cleaned_data["country"]
        if not _COUNTRY.match(value):
            raise forms.ValidationError(_("Enter the two-letter country code, for example KE."))
        return value.upper()


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=OperatorRole.choices,
        initial=OperatorRole.EDITOR,
        widget=forms.RadioSelect,
    )


class MandateGrantForm(forms.Form):
    email = forms.EmailField(label=_("Representative's e-mail address"))
    scopes = forms.MultipleChoiceField(
        label=_("What may they do for you?"),
        choices=MandateScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_until = forms.DateField(
        label=_("Until (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )
