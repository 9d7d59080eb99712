import uuid

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from openaeo.catalogue.templatetags.catalogue_text import pick
from openaeo.common import clock
from openaeo.monitoring.models import (
    ChangeKind,
    IncidentKind,
    ReviewDecision,
    ReviewOutcome,
    SelfReview,
)

STILL_TRUE_OR_CHANGED = [("still_true", _("Still true")), ("changed", _("Changed"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
FIXED_QUESTION_LABELS = {
    "owners": _("Did the owners, shareholders or managers of the business change this year?"),
    "sites": _("Did the business open, close or move a site this year?"),
    "roles": _("Did the business's roles in the supply chain change this year?"),
    "incidents": _(
        "Did a security incident happen this year (a broken seal, a theft, someone entering "
        "without permission, a computer attack)?"
    ),
}


class SelfReviewForm(forms.Form):
    """The review's answers. Every field is optional here: a draft may be incomplete; the
    service says what is missing when the holder submits."""

    def __init__(self, *args, review: SelfReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        for index, item in enumerate(review.items):
            title = pick(item.get("title")) or item.get("requirement", "")
            self.fields[f"item-{index}"] = forms.ChoiceField(
                label=_("Is “%(title)s” still true?") % {"title": title},
                choices=STILL_TRUE_OR_CHANGED,
                widget=forms.RadioSelect,
                required=False,
                initial=item.get("answer") or None,
            )
            self.fields[f"item-{index}-explanation"] = forms.CharField(
                label=_("If it changed: what changed? (%(title)s)") % {"title": title},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.get("explanation", ""),
            )
        for key, label in FIXED_QUESTION_LABELS.items():
            answer = review.questions.get(key, {})
            self.fields[f"question-{key}"] = forms.ChoiceField(
                label=label,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
                initial=answer.get("answer") or None,
            )
            self.fields[f"question-{key}-details"] = forms.CharField(
                label=_("If yes: what happened, and when?"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.get("details", ""),
            )

    def rows(self):
        """(item, answer field, explanation field) for each requirement, in order."""
        return [
            (item, self[f"item-{index}"], self[f"item-{index}-explanation"])
            for index, item in enumerate(self.review.items)
        ]

    def fixed(self):
        return [
            (self[f"question-{key}"], self[f"question-{key}-details"])
            for key in FIXED_QUESTION_LABELS
        ]

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "items": {
                index: (data.get(f"item-{index}", ""), data.get(f"item-{index}-explanation", ""))
                for index in range(len(self.review.items))
            },
            "questions": {
                key: (data.get(f"question-{key}", ""), data.get(f"question-{key}-details", ""))
                for key in FIXED_QUESTION_LABELS
            },
        }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files from one input; the evidence service checks each."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(upload, initial) for upload in data if upload]
        return [super().clean(data, initial)] if data else []


class KeyedForm(forms.Form):
    """A form with a one-time key: sending it twice makes one record."""

    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4())


class ChangeNoticeForm(KeyedForm):
    kind = forms.ChoiceField(
        label=_("What changed?"), choices=ChangeKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Describe the change"),
        help_text=_(
            "What it was before and what it is now, for example “Ms Okafor sold her shares to "
            "Mr Diallo”."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    effective_on = forms.DateField(
        label=_("From when?"),
        help_text=_("The date the change took effect, or will."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    files = FilesField(
        label=_("Documents (optional)"),
        required=False,
        help_text=_("For example the new shareholder register or the lease of a new site."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from openaeo.evidence import services, sniffing

        allowed = services.allowed_types()
        field = self.fields["files"]
        field.help_text = "{} {}".format(
            field.help_text,
            _("Accepted: %(accepted)s. At most %(limit)s per file.")
            % {
                "accepted": sniffing.accepted_list(allowed),
                "limit": filesizeformat(services.max_bytes()),
            },
        )
        field.widget.attrs["accept"] = sniffing.accept_attribute(allowed)


class IncidentForm(KeyedForm):
    kind = forms.ChoiceField(
        label=_("What kind of incident?"), choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    occurred_on = forms.DateField(
        label=_("When did it happen?"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_("The site, vehicle or system, for example “Warehouse 2, loading bay”."),
        max_length=300,
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions_taken = forms.CharField(
        label=_("What was done about it?"),
        help_text=_("Who was told (police, the carrier, the client) and what you changed."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > clock.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class OfficerReviewForm(forms.Form):
    review_decision = forms.ChoiceField(
        label=_("Your review"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Reassessment or suspension is then taken up by a supervisor of your office, who "
            "is told."
        ),
    )
    review_note = forms.CharField(
        label=_("Note to the business"),
        help_text=_("Needed for a follow-up or an outcome other than “No action”."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


OVERVIEW_LISTS = [
    ("reviews_submitted", _("Self-reviews to review")),
    ("reviews_overdue", _("Overdue self-reviews")),
    ("reviews_open", _("Open self-reviews")),
    ("changes", _("Change notices to review")),
    ("incidents", _("Incidents to review")),
    ("changes_reviewed", _("Reviewed change notices")),
    ("incidents_reviewed", _("Reviewed incidents")),
]


class OverviewFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=OVERVIEW_LISTS, required=False)
    q = forms.CharField(label=_("Business or AEO number contains"), required=False, max_length=100)
