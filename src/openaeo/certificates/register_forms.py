from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterSearchForm(forms.Form):
    """The register's filters: a plain GET form, so a filtered register is a link."""

    name = forms.CharField(label=_("Business name contains"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    tier = forms.ChoiceField(label=_("Level"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Valid or suspended")),
            ("valid", _("Valid")),
            ("suspended", _("Suspended")),
        ],
    )

    def __init__(self, *args, countries=(), tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *((c, c) for c in countries)]
        self.fields["tier"].choices = [("", _("Any level")), *tiers]


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
