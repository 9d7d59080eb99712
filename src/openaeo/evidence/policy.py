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


# Files Customs keeps for its own record of a case (photos taken on a validation visit),
# and attachments of a message that was never sent: the applicant reads the visit
# report and the messages, not the officers' working files.
CUSTOMS_ONLY_PURPOSES = ("visit-item:",)
HIDDEN_PURPOSES = (*CUSTOMS_ONLY_PURPOSES, "case-message:unsent")


def is_customs_only(evidence: EvidenceFile) -> bool:
    return evidence.purpose.startswith(CUSTOMS_ONLY_PURPOSES)


def can_see(user, evidence: EvidenceFile) -> bool:
    """The business's people see its files (not Customs' working files). Customs staff see
    the files of businesses whose cases they may read (their offices, or every office for
    programme managers and auditors); other staff roles see none."""
    if not user.is_authenticated:
        return False
    if user.staff_roles:
        return staff_may_see_files_of(user, evidence.operator)
    if evidence.purpose.startswith(HIDDEN_PURPOSES):
        return False
    return operators_policy.can_view_operator(user, evidence.operator)


def staff_may_see_files_of(user, operator) -> bool:
    from openaeo.cases import policy as case_policy
    from openaeo.cases.models import Application

    return any(
        case_policy.can_see_case(user, application)
        for application in Application.objects.filter(operator=operator).only("office_id")
    )


def can_download(user, evidence: EvidenceFile) -> bool:
    """Only files the virus check found clean, and only for those who may see them."""
    return evidence.is_downloadable and can_see(user, evidence)
