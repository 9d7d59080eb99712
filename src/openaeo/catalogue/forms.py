from django import forms
from django.utils.translation import gettext_lazy as _

ROLE_CHOICES = [
    ("importer", _("I import goods")),
    ("exporter", _("I export goods")),
    ("manufacturer", _("I make goods")),
    ("customs_broker", _("I make customs declarations for others (customs broker)")),
    ("freight_forwarder", _("I organise transport for others (freight forwarder)")),
    ("carrier", _("I carry goods (transport company)")),
    ("warehouse_keeper", _("I store goods (warehouse)")),
    ("terminal_operator", _("I run a port, airport or rail terminal")),
]


class GuideForm(forms.Form):
    """At most eight questions, each answerable without looking anything up."""

    roles = forms.MultipleChoiceField(
        label=_("1. What does your business do? Tick all that apply."),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    employees = forms.IntegerField(
        label=_("2. How many people work for your business?"),
        min_value=1,
        max_value=1_000_000,
        help_text=_("Count yourself and everyone paid by the business."),
    )
    turnover = forms.IntegerField(
        label=_("3. About how much does your business sell in a year? (optional)"),
        required=False,
        min_value=0,
        help_text=_("In the programme's currency. Leave it empty if you are not sure."),
    )
    declarations = forms.ChoiceField(
        label=_("4. How many customs declarations do you make (or have made for you) in a year?"),
        choices=[
            ("under_10", _("Fewer than 10")),
            ("10_to_24", _("10 to 24")),
            ("25_to_99", _("25 to 99")),
            ("100_plus", _("100 or more")),
        ],
        widget=forms.RadioSelect,
    )
    years = forms.ChoiceField(
        label=_("5. How long has your business been trading?"),
        choices=[
            ("under_1", _("Less than a year")),
            ("1_to_2", _("One to two years")),
            ("2_to_3", _("Two to three years")),
            ("3_plus", _("More than three years")),
        ],
        widget=forms.RadioSelect,
    )
    offences = forms.ChoiceField(
        label=_("6. In the last three years, has Customs fined you or found a problem?"),
        choices=[
            ("none", _("No")),
            ("minor", _("Only small mistakes, which we put right")),
            ("serious", _("Yes, a serious offence")),
        ],
        widget=forms.RadioSelect,
    )
    finances = forms.ChoiceField(
        label=_("7. Does your business pay its taxes and bills on time?"),
        choices=[
            ("sound", _("Yes")),
            ("difficulties", _("Not always, or we are in financial difficulty")),
        ],
        widget=forms.RadioSelect,
    )
    priority = forms.ChoiceField(
        label=_("8. What would help you most?"),
        choices=[
            ("speed", _("Getting goods through the border faster")),
            ("inspections", _("Fewer inspections of my goods")),
            ("cash", _("Paying duties later")),
            ("abroad", _("Being trusted by customs in other countries")),
        ],
        widget=forms.RadioSelect,
    )
