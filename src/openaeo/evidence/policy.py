"""Who may send and fetch evidence files.

Route rules only require a signed-in person; the object-level answers below are
used by the selectors, which answer "not found" for files and businesses a person
may not see, so that a refusal never reveals that they exist.
"""

from openaeo.common.permissions import SIGNED_IN, register_routes
from openaeo.evidence.models import EvidenceFile
from openaeo.operators import policy as operators_policy

register_routes(
    {
        "evidence:upload": SIGNED_IN,
        "evidence:download": SIGNED_IN,
    }
)


def can_upload(user, operator) -> bool:
    """Those who prepare the business's file: owners, editors, representatives who may prepare."""
    return operators_policy.can_prepare(user, operator)


# Files Customs keeps for its own record of a case (photos taken on a validation visit):
# the applicant reads the visit report, not the officers' working files.
CUSTOMS_ONLY_PURPOSES = ("visit-item:",)


def is_customs_only(evidence: EvidenceFile) -> bool:
    return evidence.purpose.startswith(CUSTOMS_ONLY_PURPOSES)


def can_see(user, evidence: EvidenceFile) -> bool:
    """Everyone who may see the business, Customs staff included; Customs' own working
    files only for staff."""
    if is_customs_only(evidence) and not (user.is_authenticated and user.staff_roles):
        return False
    return operators_policy.can_view_operator(user, evidence.operator)


def can_download(user, evidence: EvidenceFile) -> bool:
    """Only files the virus check found clean, and only for those who may see them."""
    return evidence.is_downloadable and can_see(user, evidence)
