"""The case models, one module per part of the case (see each module)."""

from openaeo.cases.models.application import (
    APPEALABLE,
    BEFORE_DECISION,
    CONFIRMATIONS,
    CUSTOMS_STATES,
    GRANTS,
    OUTCOMES_OF_KIND,
    UNDER_REVIEW,
    Application,
    ApplicationKind,
    ApplicationRevision,
    CaseStatus,
    Outcome,
    ReassessmentTrigger,
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
    "APPEALABLE",
    "BEFORE_DECISION",
    "CONFIRMATIONS",
    "CUSTOMS_STATES",
    "GRANTS",
    "OUTCOMES_OF_KIND",
    "UNDER_REVIEW",
    "Appeal",
    "Application",
    "ApplicationKind",
    "ApplicationRevision",
    "CaseMessage",
    "CaseNote",
    "CaseStatus",
    "ComplianceRecord",
    "CorrectiveAction",
    "Decision",
    "InformationRequest",
    "Outcome",
    "ReassessmentTrigger",
    "Recommendation",
    "ValidationVisit",
    "VisitItem",
]
