"""The roles of OpenAEO, as plain constants (no database)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    VALIDATOR = "validator", _("Validator")
    SUPERVISOR = "supervisor", _("Supervisor")
    RELATIONSHIP_MANAGER = "relationship_manager", _("Relationship manager")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class OperatorRole(models.TextChoices):
    OWNER = "owner", _("Owner (legal representative)")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class MandateScope(models.TextChoices):
    PREPARE = "prepare", _("Prepare the self-assessment and application")
    SUBMIT = "submit", _("Submit and sign on the operator's behalf")
    CORRESPOND = "correspond", _("Correspond with Customs about the case")


# What each staff role may do, in plain words: shown in the README and on the
# dashboard so that a role is never a mystery to the person holding it.
STAFF_ROLE_SUMMARIES = {
    StaffRole.PROGRAMME_MANAGER: _(
        "Configures the national programme and sees how it performs, across all offices."
    ),
    StaffRole.VALIDATOR: _(
        "Works on the cases of their office: checks, desk review, validation visits."
    ),
    StaffRole.SUPERVISOR: _("Assigns work and takes the second-pair-of-eyes decision."),
    StaffRole.RELATIONSHIP_MANAGER: _(
        "Helps traders: helpdesk, information sessions and outreach."
    ),
    StaffRole.AUDITOR: _("Reads everything, including the audit trail; changes nothing."),
    StaffRole.ADMINISTRATOR: _("Manages offices, staff accounts, API clients and settings."),
}
# Roles that see the work of every office without a specific grant.
ALL_OFFICE_ROLES = frozenset(
    {StaffRole.PROGRAMME_MANAGER, StaffRole.AUDITOR, StaffRole.ADMINISTRATOR}
)
