import re

from django import forms
from django.utils.translation import gettext_lazy as _

from openaeo.accounts.roles import MandateScope, OperatorRole
from openaeo.catalogue.forms import ROLE_CHOICES
from openaeo.evidence.forms import EvidenceUploadForm
from openaeo.operators.models import OperatorContact, OperatorSite

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

    roles = forms.MultipleChoiceField(
        label=_("What does your business do? Tick all that apply."),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    employees = forms.IntegerField(
        label=_("How many people work for your business?"),
        min_value=1,
        max_value=10_000_000,
        help_text=_("Count yourself and everyone paid by the business."),
    )
    annual_turnover = forms.DecimalField(
        label=_("Sales in the last year (optional)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=0,
        help_text=_(
            "In your national currency, without decimals. It helps place you in the right size class."
        ),
    )
    balance_sheet_total = forms.DecimalField(
        label=_("Balance sheet total (optional)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=0,
    )

    def clean_identifier(self):
        """The identifier must have the shape the public programme expects (TIN/EORI style)."""
        from openaeo.catalogue.models import Programme

        value = self.cleaned_data["identifier"].strip().upper()
        programme = Programme.objects.filter(is_default=True).first()
        pattern = programme.config.get("identifier_pattern") if programme else None
        if pattern and not re.fullmatch(pattern, value):
            raise forms.ValidationError(
                _(
                    "This does not look like a valid identification number. Check it on your tax "
                    "or customs registration papers, for example KE-P051234567A."
                )
            )
        return value

    def clean_country(self):
        value = self.cleaned_data["country"]
        if not _COUNTRY.match(value):
            raise forms.ValidationError(_("Enter the two-letter country code, for example KE."))
        return value.upper()


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        error_messages={
            "required": _("Enter your colleague's e-mail address."),
            "invalid": _("Enter the e-mail address in the correct format, like name@example.com."),
        },
    )
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


class OperatorProfileForm(forms.Form):
    """What may change after registration: names, address, roles and size figures."""

    trading_names = forms.CharField(
        label=_("Trading names (optional)"), required=False, max_length=300
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    roles = OperatorRegisterForm.base_fields["roles"]
    employees = OperatorRegisterForm.base_fields["employees"]
    annual_turnover = OperatorRegisterForm.base_fields["annual_turnover"]
    balance_sheet_total = OperatorRegisterForm.base_fields["balance_sheet_total"]


class AccessRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("The business's customs or tax identification number"), max_length=40
    )
    message = forms.CharField(
        label=_("Message to the owner (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Say who you are and why you need access, for example 'I am the new accountant'."
        ),
    )


class SiteForm(forms.Form):
    """A place where the business works. The prefix keeps ids apart from the contact form's."""

    prefix = "site"

    name = forms.CharField(
        label=_("Name of the site"),
        max_length=200,
        help_text=_("For example “Main warehouse, Industrial Area”."),
        error_messages={"required": _("Enter the name of the site.")},
    )
    kind = forms.ChoiceField(
        label=_("What kind of site is it?"),
        choices=OperatorSite.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of site it is.")},
    )
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the address of the site.")},
    )
    activities = forms.CharField(
        label=_("What happens there"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example “storage of goods under customs control, loading of trucks”."),
    )


class ContactForm(forms.Form):
    """Whom Customs can contact about what."""

    prefix = "contact"

    name = forms.CharField(
        label=_("Name of the person"),
        max_length=150,
        error_messages={"required": _("Enter the name of the contact person.")},
    )
    function = forms.ChoiceField(
        label=_("What is this person the contact for?"),
        choices=OperatorContact.Function.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what this person is the contact for.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Enter the contact person's e-mail address."),
            "invalid": _("Enter the e-mail address in the correct format, like name@example.com."),
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("With the country code, for example +254 20 123 4567."),
    )


class MsmeProofForm(EvidenceUploadForm):
    """One file proving the business's MSME status; it goes through the evidence store."""

    prefix = "msme"
    purpose = None  # fixed: the proof of MSME status

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = _("Certificate or other proof of MSME status")
        field.error_messages["required"] = _("Choose the file to send.")
