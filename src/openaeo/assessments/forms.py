from django import forms
from django.utils.translation import gettext_lazy as _


class StartForm(forms.Form):
    level = forms.ChoiceField(label=_("Which level do you want to check yourself against?"))

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        from openaeo.catalogue.templatetags.catalogue_text import pick

        self.fields["level"].choices = [
            (
                f"{programme.pk}:{tier['code']}",
                f"{pick(programme.config['name'])} - {pick(tier['name'])}",
            )
            for programme in programmes
            for tier in programme.config["tiers"]
        ]


class ActionUpdateForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Who does it"), queryset=None, required=False)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        # Colleagues who can prepare the file: owners and editors.
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(
                operator_memberships__operator=operator,
                operator_memberships__role__in=["owner", "editor"],
            )
            .order_by("email")
        )


class ActionCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"),
        max_length=2000,
        error_messages={"required": _("Say in a few words what was done.")},
    )
    # Optional proof of what was done; checked by the evidence store, not here.
    file = forms.FileField(label=_("A file that shows it"), required=False, allow_empty_file=True)
