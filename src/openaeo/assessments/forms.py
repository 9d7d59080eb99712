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
