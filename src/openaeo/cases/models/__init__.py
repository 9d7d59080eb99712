"""The case models, one module per part of the case (see each module)."""

from openaeo.cases.models.application import (
    BEFORE_DECISION,
    CUSTOMS_STATES,
    UNDER_REVIEW,
    Application,
    ApplicationRevision,
    CaseStatus,
    Outcome,
)
from openaeo.cases.models.correspondence import (
    CaseMessage,
    CaseNote,
    ComplianceRecord,
    InformationRequest,
)
from openaeo.cases.models.decisions import Appeal, Decision, Recommendation
from openaeo.cases.models.visits import CorrectiveAction, ValidationVisit, VisitItem

__all__ = [
    "BEFORE_DECISION",
    "CUSTOMS_STATES",
    "UNDER_REVIEW",
    "Appeal",
    "Application",
    "ApplicationRevision",
    "CaseMessage",
    "CaseNote",
    "CaseStatus",
    "ComplianceRecord",
    "CorrectiveAction",
    "Decision",
    "InformationRequest",
    "Outcome",
    "Recommendation",
    "ValidationVisit",
    "VisitItem",
]
