"""Every route has a rule, and every rule is checked for every role.

Two guarantees:
1. Each URL pattern of the project resolves to a rule in some app's policy
   module. A new route without one fails `test_every_route_has_a_policy`, and
   one of our own that is missing from EXPECTED below fails
   `test_every_own_route_is_in_the_matrix`.
2. For every route of ours and every role, the response is the expected one:
   allowed, or refused with 403/404 (302 to sign-in for anonymous visitors),
   and an object another trader may not see answers exactly like one that does
   not exist.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openaeo.common import clock
from openaeo.common.permissions import rule_for
from tests import factories

ROLES = list(factories.ROLES)
STAFF = set(factories.STAFF)
TRADERS = set(factories.TRADERS)
SIGNED_IN = TRADERS | STAFF
OF_OPERATOR = {"owner", "editor", "viewer", "representative"}
MEMBERS = {"owner", "editor", "viewer"}
PREPARERS = {"owner", "editor", "representative"}  # the representative's mandate includes "prepare"
# Staff who read cases (validators and supervisors only in their own office).
CASE_READERS = {"validator", "validator_elsewhere", "supervisor", "programme_manager", "auditor"}
MRA_MANAGERS = {"programme_manager", "administrator"}
SCREENING_READERS = CASE_READERS

OK, REDIRECT, BAD_FORM, FORBIDDEN, NOT_FOUND, TO_LOGIN = 200, 302, 400, 403, 404, "login"


def expect(allowed: set[str], allowed_status, *, refused=FORBIDDEN, **overrides):
    """Map every role to its expected outcome."""
    table = {}
    for role in ROLES:
        if role in overrides:
            table[role] = overrides[role]
        elif role == "anonymous" and role not in allowed:
            table[role] = TO_LOGIN
        elif role in allowed:
            table[role] = allowed_status
        else:
            table[role] = refused
    return table


def _operator_refusals_for(allowed):
    # Traders who may not act for the operator: 404, as if it did not exist.
    # Staff: these routes are for the trader side, so 403.
    return {role: NOT_FOUND for role in TRADERS - set(allowed)}


# route name -> (HTTP method, url kwargs builder name, expected outcome per role)
EXPECTED = {
    "web:home": ("get", None, expect(set(ROLES), OK)),
    "web:roles": ("get", None, expect(set(ROLES), OK)),
    "web:dashboard": ("get", None, expect(SIGNED_IN, OK)),
    "operators:list": ("get", None, expect(TRADERS, OK)),
    "operators:register": ("get", None, expect(TRADERS, OK)),
    "operators:detail": (
        "get",
        "operator",
        expect(OF_OPERATOR | STAFF, OK, refused=NOT_FOUND),
    ),
    "operators:member_add": (
        "post",
        "operator",
        expect({"owner"}, BAD_FORM, **_operator_refusals_for({"owner"})),
    ),
    "operators:member_remove": (
        "post",
        "membership",
        expect({"owner"}, REDIRECT, **_operator_refusals_for({"owner"})),
    ),
    "operators:mandate_grant": (
        "post",
        "operator",
        expect({"owner"}, BAD_FORM, **_operator_refusals_for({"owner"})),
    ),
    "operators:mandate_revoke": (
        "post",
        "mandate",
        expect({"owner"}, REDIRECT, **_operator_refusals_for({"owner"})),
    ),
    "operators:request_access": ("get", None, expect(TRADERS, OK)),
    # The link in the e-mail: anonymous visitors see how to sign in; the invited
    # person (the newcomer here) may accept; other signed-in traders are told it is
    # for someone else; Customs staff never work for a business.
    "operators:invitation": ("get", "invitation", expect({"anonymous", "newcomer"}, OK)),
    "operators:invitation_cancel": (
        "post",
        "an_invitation",
        expect({"owner"}, REDIRECT, **_operator_refusals_for({"owner"})),
    ),
    "operators:access_decide": (
        "post",
        "access_request",
        expect({"owner"}, REDIRECT, **_operator_refusals_for({"owner"})),
    ),
    "operators:profile": (
        "get",
        "operator",
        expect(PREPARERS, OK, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:msme_proof": (
        "post",
        "operator",
        expect(PREPARERS, BAD_FORM, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:sites": (
        "get",
        "operator",
        expect(PREPARERS, OK, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:site_add": (
        "post",
        "operator",
        expect(PREPARERS, BAD_FORM, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:site_remove": (
        "post",
        "site",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:contact_add": (
        "post",
        "operator",
        expect(PREPARERS, BAD_FORM, **_operator_refusals_for(PREPARERS)),
    ),
    "operators:contact_remove": (
        "post",
        "contact",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
    ),
    "assessments:start": (
        "post",
        "operator",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
    ),
    "assessments:overview": (
        "get",
        "assessment",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "assessments:heading": (
        "get",
        "assessment_part",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "assessments:answer": (
        "post",
        "assessment",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
        "an_answer",
    ),
    "assessments:gaps": (
        "get",
        "assessment",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "assessments:gaps_export": (
        "get",
        "assessment_xlsx",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "assessments:action_plan": (
        "post",
        "assessment",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
    ),
    "assessments:actions": (
        "get",
        "assessment",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "assessments:attach": (
        "post",
        "assessment",
        expect(PREPARERS, REDIRECT, **_operator_refusals_for(PREPARERS)),
        "an_attachment",
    ),
    "cases:submit": (
        "get",
        "assessment",
        expect({"owner"}, OK, **_operator_refusals_for({"owner"})),
    ),
    "cases:status": (
        "get",
        "application",
        expect(OF_OPERATOR, OK, **_operator_refusals_for(OF_OPERATOR)),
    ),
    "cases:reply": (
        "post",
        "thread",
        expect(PREPARERS, BAD_FORM, **_operator_refusals_for(PREPARERS)),
    ),
    "cases:withdraw": (
        "post",
        "application",
        expect({"owner"}, BAD_FORM, **_operator_refusals_for({"owner"})),
    ),
    "cases:appeal": (
        "post",
        "application",
        expect({"owner"}, BAD_FORM, **_operator_refusals_for({"owner"})),
    ),
    "cases:decision_letter": (
        "get",
        "decision",
        expect(OF_OPERATOR | CASE_READERS - {"validator_elsewhere"}, OK, refused=NOT_FOUND),
    ),
    "cases:queue": ("get", None, expect(CASE_READERS, OK)),
    # Nothing ticked: the supervisor is sent back to the queue with a message.
    "cases:assign": ("post", None, expect({"supervisor"}, REDIRECT)),
    "cases:case": (
        "get",
        "application",
        expect(CASE_READERS, OK, validator_elsewhere=NOT_FOUND),
    ),
    "cases:act": (
        "post",
        "case_note",
        expect({"validator", "supervisor"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    "cases:follow_up": (
        "post",
        "thread",
        expect({"validator", "supervisor"}, REDIRECT, validator_elsewhere=NOT_FOUND),
    ),
    "cases:visit_plan": (
        "post",
        "application",
        expect({"validator", "supervisor"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    # Only the visit team (here the validator) records the checklist and completes the report.
    "cases:visit_item": (
        "post",
        "visit_item",
        expect({"validator"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    "cases:visit_complete": (
        "post",
        "visit",
        expect({"validator"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    "cases:visit_report": (
        "get",
        "visit",
        expect(OF_OPERATOR | CASE_READERS - {"validator_elsewhere"}, OK, refused=NOT_FOUND),
    ),
    "cases:corrective_action_done": (
        "post",
        "corrective_action",
        expect(PREPARERS, BAD_FORM, **_operator_refusals_for(PREPARERS)),
    ),
    "cases:corrective_action_accept": (
        "post",
        "corrective_action",
        expect({"validator", "supervisor"}, REDIRECT, validator_elsewhere=NOT_FOUND),
    ),
    "notifications:list": ("get", None, expect(SIGNED_IN, OK)),
    "notifications:read": ("post", None, expect(SIGNED_IN, REDIRECT)),
    "accounts:tokens": ("get", None, expect(SIGNED_IN, OK)),
    "accounts:token_revoke": (
        "post",
        "owners_token",
        expect({"owner"}, REDIRECT, refused=NOT_FOUND),
    ),
    "accounts:offices": ("get", None, expect(STAFF, OK)),
    "audit:list": ("get", None, expect({"auditor", "administrator"}, OK)),
    "audit:detail": ("get", "audit_event", expect({"auditor", "administrator"}, OK)),
    "admin:index": ("get", None, expect({"administrator"}, OK)),
    "catalogue:guide": ("get", None, expect(set(ROLES), OK)),
    "catalogue:tiers": ("get", None, expect(set(ROLES), OK)),
    "catalogue:template": ("get", "template", expect(set(ROLES), OK)),
    "catalogue:compare": ("get", None, expect(set(ROLES), OK)),
    "catalogue:programme_manage": ("get", None, expect({"programme_manager", "administrator"}, OK)),
    "catalogue:programme_edit": (
        "get",
        "programme",
        expect({"programme_manager", "administrator"}, OK),
    ),
    "evidence:upload": ("get", "operator", expect(PREPARERS, OK, refused=NOT_FOUND)),
    "evidence:download": (
        "get",
        "evidence",
        expect(OF_OPERATOR | CASE_READERS - {"validator_elsewhere"}, OK, refused=NOT_FOUND),
    ),
    # The holder's people (members, not representatives) see the business's certificates.
    "certificates:business": (
        "get",
        "operator",
        expect(MEMBERS, OK, **_operator_refusals_for(MEMBERS)),
    ),
    "certificates:download": (
        "get",
        "certificate",
        expect(MEMBERS | STAFF, OK, refused=NOT_FOUND),
    ),
    "certificates:list": ("get", None, expect(STAFF, OK)),
    "certificates:detail": ("get", "certificate", expect(STAFF, OK)),
    # No action chosen: the supervisor of the deciding office sees the form again.
    "certificates:change": ("post", "certificate", expect({"supervisor"}, BAD_FORM)),
    # Nothing posted: the supervisor of the certificate's office sees the form again.
    "certificates:reassess": ("post", "certificate", expect({"supervisor"}, BAD_FORM)),
    # The holder's people who submit (the owner here): the certificate has no end date,
    # so back to the certificates page with a message; editors and viewers may not;
    # others do not see the certificate.
    "certificates:renew": (
        "post",
        "certificate",
        expect(
            {"owner"},
            REDIRECT,
            editor=FORBIDDEN,
            viewer=FORBIDDEN,
            **_operator_refusals_for(MEMBERS),
        ),
    ),
    "certificates:status_list": ("get", "status_list", expect(set(ROLES), OK)),
    "certificates:status_list_json": ("get", "status_list", expect(set(ROLES), OK)),
    "certificates:jwks": ("get", None, expect(set(ROLES), OK)),
    # Mutual recognition: programme managers and administrators.
    "mra:partners": ("get", None, expect(MRA_MANAGERS, OK)),
    "mra:partner": ("get", "partner", expect(MRA_MANAGERS, OK)),
    # No file: the form is shown again.
    "mra:upload": ("post", "partner", expect(MRA_MANAGERS, BAD_FORM)),
    "mra:import": ("get", "partner_import", expect(MRA_MANAGERS, OK)),
    "mra:acknowledgement": ("get", "partner_import", expect(MRA_MANAGERS, OK)),
    # Nothing chosen: back to the partner's page with a message.
    "mra:mapping": ("post", "partner_mapping", expect(MRA_MANAGERS, REDIRECT)),
    # The public register; only an owner of the holder lists a certificate in it (no
    # choice posted: the business page again, 400).
    "certificates:register": ("get", None, expect(set(ROLES), OK)),
    "certificates:register_csv": ("get", None, expect(set(ROLES), OK)),
    "certificates:register_consent": (
        "post",
        "certificate",
        expect({"owner"}, BAD_FORM, **_operator_refusals_for({"owner"})),
    ),
    "certificates:pdf": ("get", "certificate", expect(MEMBERS | STAFF, OK, refused=NOT_FOUND)),
    "certificates:verify": ("get", None, expect(set(ROLES), OK)),
    # Monitoring: the holder's members read, owners and editors write (viewers 403); the
    # officers of the certificate's office review (empty review form: 400).
    "monitoring:holder": (
        "get",
        "certificate",
        expect(MEMBERS, OK, **_operator_refusals_for(MEMBERS)),
    ),
    "monitoring:self_review": (
        "get",
        "certificate",
        expect(MEMBERS, OK, **_operator_refusals_for(MEMBERS)),
    ),
    "monitoring:change_new": (
        "get",
        "certificate",
        expect({"owner", "editor"}, OK, **_operator_refusals_for(MEMBERS)),
    ),
    "monitoring:incident_new": (
        "get",
        "certificate",
        expect({"owner", "editor"}, OK, **_operator_refusals_for(MEMBERS)),
    ),
    "monitoring:incident_report_for_holder": (
        "get",
        "certificate",
        expect({"validator", "supervisor"}, OK, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:overview": ("get", None, expect(CASE_READERS, OK)),
    "monitoring:self_review_detail": (
        "get",
        "monitoring_review",
        expect(CASE_READERS, OK, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:self_review_review": (
        "post",
        "monitoring_review",
        expect({"validator", "supervisor"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:change_detail": (
        "get",
        "monitoring_change",
        expect(CASE_READERS, OK, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:change_review": (
        "post",
        "monitoring_change",
        expect({"validator", "supervisor"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:incident_detail": (
        "get",
        "monitoring_incident",
        expect(CASE_READERS, OK, validator_elsewhere=NOT_FOUND),
    ),
    "monitoring:incident_review": (
        "post",
        "monitoring_incident",
        expect({"validator", "supervisor"}, BAD_FORM, validator_elsewhere=NOT_FOUND),
    ),
    # Compliance screening: readers of cases read it; programme managers start runs;
    # they and administrators import declaration files; supervisors act on alerts.
    "screening:runs": ("get", None, expect(SCREENING_READERS, OK)),
    # No date given: today; the run is queued and its page shown.
    "screening:run_start": ("post", None, expect({"programme_manager"}, REDIRECT)),
    "screening:run": ("get", "screening_run", expect(SCREENING_READERS, OK)),
    "screening:imports": (
        "get",
        None,
        expect({"programme_manager", "administrator", "auditor"}, OK),
    ),
    # No file: the form again.
    "screening:import_upload": (
        "post",
        None,
        expect({"programme_manager", "administrator"}, BAD_FORM),
    ),
    "screening:import": (
        "get",
        "screening_import",
        expect({"programme_manager", "administrator", "auditor"}, OK),
    ),
    "screening:alerts": ("get", None, expect(SCREENING_READERS, OK)),
    # The alert belongs to PORT; no action chosen: the list again with the error.
    "screening:alert_act": (
        "post",
        "screening_alert",
        expect({"supervisor", "programme_manager"}, BAD_FORM),
    ),
    "screening:declarations": ("get", "operator", expect(SCREENING_READERS, OK)),
    "set_language": ("post", None, expect(set(ROLES), REDIRECT)),
    "javascript-catalog": ("get", None, expect(set(ROLES), OK)),
}

# Namespaces whose routes are ours and must all appear in EXPECTED.
OWN_NAMESPACES = (
    "web",
    "operators",
    "accounts",
    "audit",
    "catalogue",
    "assessments",
    "cases",
    "evidence",
    "notifications",
    "certificates",
    "mra",
    "monitoring",
    "screening",
)


def _all_view_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _all_view_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                # Django names an unnamed route by its view's dotted path, in its namespace.
                callback = entry.lookup_str
                yield f"{namespace}:{callback}" if namespace else callback


def test_every_route_has_a_policy():
    missing = sorted({name for name in _all_view_names() if rule_for(name) is None})
    assert not missing, f"Routes without a rule in any policy module: {missing}"


def test_every_own_route_is_in_the_matrix():
    own = {name for name in _all_view_names() if name.split(":")[0] in OWN_NAMESPACES}
    assert own - set(EXPECTED) == set(), (
        f"Add these routes to EXPECTED in {__file__}: {sorted(own - set(EXPECTED))}"
    )


@pytest.fixture
def objects(people, operator, request):
    from openaeo.accounts.services import api_token_create
    from openaeo.common.models import AuditEvent
    from openaeo.operators.models import AccessRequest, Mandate, OperatorMembership

    editor_membership = OperatorMembership.objects.get(operator=operator, user=people["editor"])

    def _application():
        from openaeo.accounts.models import Office
        from openaeo.cases.models import Application

        existing = Application.objects.filter(operator=operator).first()
        if existing:
            return existing
        assessment = _assessment()
        return Application.objects.create(
            operator=operator,
            programme=assessment.programme,
            tier_code="entry",
            status=Application.Status.SUBMITTED,
            submitted_at=clock.now(),
            completeness_due=clock.today(),
            office=Office.objects.get(code="PORT"),
        )

    def _thread():
        from openaeo.cases.models import CaseMessage, InformationRequest

        application = _application()
        thread = InformationRequest.objects.create(
            application=application,
            kind="question",
            subject="Seal log",
            asked_by=people["validator"],
            asked_at=clock.now(),
        )
        CaseMessage.objects.create(
            request=thread,
            author=people["validator"],
            from_customs=True,
            body="Please send the seal log.",
            sent_at=clock.now(),
        )
        return {"application_id": application.pk, "request_id": thread.pk}

    def _decision():
        from openaeo.cases.models import Decision, Recommendation

        application = _application()
        recommendation = Recommendation.objects.create(
            application=application,
            round=1,
            outcome="granted",
            tier_code="entry",
            reasons="Meets every requirement.",
            recommended_by=people["validator"],
            recommended_at=clock.now(),
        )
        decision = Decision.objects.create(
            application=application,
            round=1,
            recommendation=recommendation,
            outcome="granted",
            tier_code="entry",
            reasons="Meets every requirement.",
            language="en",
            decided_by=people["supervisor"],
            decided_at=clock.now(),
        )
        return {"application_id": application.pk, "decision_id": decision.pk}

    def _certificate():
        from tests.scenarios.certificates import make_certificate

        existing = operator.certificates.first()
        if existing:
            return existing
        application = _application()
        return make_certificate(
            operator,
            application.programme,
            office=application.office,
            validator=people["validator"],
            supervisor=people["supervisor"],
        )

    def _visit():
        """A completed visit by the validator, with one finding reported done by the business."""
        from openaeo.cases.models import CorrectiveAction, ValidationVisit, VisitItem

        application = _application()
        visit = ValidationVisit.objects.filter(application=application).first()
        if visit is None:
            visit = ValidationVisit.objects.create(
                application=application,
                planned_on=clock.today(),
                site="1 Harbour Road",
                mode="on_site",
                planned_by=people["validator"],
                planned_at=clock.now(),
                size_class="small",
                summary="Seals are kept loose.",
                completed_at=clock.now(),
            )
            visit.team.set([people["validator"]])
            item = VisitItem.objects.create(
                visit=visit,
                position=1,
                heading_id="urn:openaeo:safe2025:cargo-security",
                requirement_id="urn:openaeo:safe2025:cargo-security:seal-control",
                title="Seals are controlled",
                what_to_verify="The seal log.",
                result="major",
                notes="Spare seals lie in an open drawer.",
                checked_by=people["validator"],
                checked_at=clock.now(),
            )
            CorrectiveAction.objects.create(
                application=application,
                visit_item=item,
                severity="major",
                description=item.notes,
                due_on=clock.today(),
                status="reported_done",
                operator_reply="The drawer now has a lock.",
                created_at=clock.now(),
            )
        return visit

    def _visit_item():
        visit = _visit()
        return {
            "application_id": visit.application_id,
            "visit_id": visit.pk,
            "item_id": visit.items.get().pk,
        }

    def _corrective_action():
        visit = _visit()
        return {
            "application_id": visit.application_id,
            "action_id": visit.application.corrective_actions.get().pk,
        }

    def _assessment():
        from openaeo.assessments.models import SelfAssessment
        from openaeo.assessments.services import assessment_start

        existing = SelfAssessment.objects.filter(operator=operator).first()
        if existing:
            return existing
        programme = request.getfixturevalue("programmes")["safe-reference"]
        operator.roles, operator.employees = ["exporter"], 12
        operator.save()
        return assessment_start(
            actor=people["owner"], operator=operator, programme=programme, tier_code="entry"
        )

    token, _secret = api_token_create(actor=people["owner"], name="accounting")
    return {
        "operator": {"operator_id": operator.pk},
        "membership": {"operator_id": operator.pk, "membership_id": editor_membership.pk},
        "mandate": {
            "operator_id": operator.pk,
            "mandate_id": Mandate.objects.get(operator=operator).pk,
        },
        "owners_token": {"token_id": token.pk},
        "invitation": lambda: {"token": _invitation(operator, people)[1]},
        "an_invitation": lambda: {
            "operator_id": operator.pk,
            "invitation_id": _invitation(operator, people)[0].pk,
        },
        "site": lambda: {"operator_id": operator.pk, "site_id": _site(operator).pk},
        "contact": lambda: {"operator_id": operator.pk, "contact_id": _contact(operator).pk},
        "access_request": {
            "operator_id": operator.pk,
            "request_id": AccessRequest.objects.create(
                operator=operator, requester=people["newcomer"], created_at=clock.now()
            ).pk,
        },
        "an_answer": lambda: _an_answer(_assessment()),
        "an_attachment": lambda: _an_attachment(_assessment()),
        "audit_event": {"sequence": AuditEvent.objects.order_by("sequence").first().sequence},
        "template": {"slug": "seal-log"},
        # The business has applied (a case in PORT): Customs reads its files through the case.
        "evidence": lambda: (
            _application() and {"evidence_id": _clean_evidence(operator, people["owner"]).pk}
        ),
        "assessment": lambda: {"assessment_id": _assessment().pk},
        "assessment_part": lambda: {"assessment_id": _assessment().pk, "number": 1},
        "assessment_xlsx": lambda: {"assessment_id": _assessment().pk, "kind": "xlsx"},
        "application": lambda: {"application_id": _application().pk},
        "thread": _thread,
        "decision": _decision,
        "case_note": lambda: {"application_id": _application().pk, "action": "note"},
        "visit": lambda: {"application_id": _application().pk, "visit_id": _visit().pk},
        "visit_item": _visit_item,
        "certificate": lambda: {"certificate_id": _certificate().pk},
        "status_list": lambda: {"number": _certificate().status_list, "purpose": "suspension"},
        "corrective_action": _corrective_action,
        "partner": lambda: {"partner_id": _partner_import().partner_id},
        "partner_import": lambda: {
            "partner_id": _partner_import().partner_id,
            "import_id": _partner_import().pk,
        },
        "partner_mapping": _partner_mapping,
        "monitoring_review": lambda: {"review_id": _monitoring("review", _certificate()).pk},
        "monitoring_change": lambda: {"notice_id": _monitoring("change", _certificate()).pk},
        "monitoring_incident": lambda: {"incident_id": _monitoring("incident", _certificate()).pk},
        "screening_run": lambda: {"run_id": _screening_run().pk},
        "screening_import": lambda: {"import_id": _screening_import().pk},
        "screening_alert": lambda: {"alert_id": _screening_alert(_certificate()).pk},
        # Loaded only for the routes that need it: publishing takes time.
        "programme": lambda: {
            "programme_id": request.getfixturevalue("programmes")["safe-reference"].pk
        },
    }


def _monitoring(kind, certificate):
    """A submitted self-review, a change notice or an incident report of `certificate`."""
    import datetime as dt

    from openaeo.monitoring.models import ChangeNotice, IncidentReport, SelfReview

    owner = certificate.holder.memberships.get(role="owner").user
    if kind == "review":
        return SelfReview.objects.create(
            certificate=certificate,
            year=2026,
            window_opens=dt.date(2026, 10, 1),
            window_closes=dt.date(2026, 12, 31),
            status="submitted",
            opened_at=clock.now(),
            submitted_at=clock.now(),
            submitted_by=owner,
        )
    if kind == "change":
        return ChangeNotice.objects.create(
            certificate=certificate,
            kind="sites",
            description="A second warehouse opened.",
            effective_on=clock.today(),
            submitted_by=owner,
            submitted_at=clock.now(),
        )
    return IncidentReport.objects.create(
        certificate=certificate,
        kind="seal_breach",
        occurred_on=clock.today(),
        place="Loading bay",
        description="A broken seal.",
        actions_taken="Police told.",
        reported_by=owner,
        reported_at=clock.now(),
    )


def _screening_run():
    from openaeo.screening.models import ScreeningRun

    return ScreeningRun.objects.create(
        scope="all", as_of=clock.today(), created_at=clock.now(), status="done"
    )


def _screening_import():
    from openaeo.screening.models import DeclarationImport

    return DeclarationImport.objects.create(
        file_name="declarations.csv",
        checksum="0" * 64,
        status="rejected",
        store="duckdb",
        report={"file_errors": ["column:declarant_id:missing"], "rejects": []},
        imported_at=clock.now(),
    )


def _screening_alert(certificate):
    from openaeo.screening.models import ComplianceAlert

    return ComplianceAlert.objects.create(
        operator=certificate.holder,
        certificate=certificate,
        office=certificate.decision.application.office,
        reasons=[{"code": "serious_irregularities", "count": 1, "limit": 0}],
        opened_at=clock.now(),
    )


def _partner_import():
    """A partner administration with one imported file naming an unknown identifier."""
    import datetime as dt
    import json

    from openaeo.mra.models import PartnerAdministration, PartnerImport
    from openaeo.mra.services import import_file

    existing = PartnerImport.objects.first()
    if existing:
        return existing
    partner = PartnerAdministration.objects.create(
        name="Partner Customs", country="ZY", arrangement="MRA", active_from=dt.date(2026, 1, 1)
    )
    record = {
        "aeo_number": "ZY AEO 1",
        "operator_identifier": "ZY-UNKNOWN",
        "name": "Partner Trading",
        "country": "ZY",
        "status": "active",
        "authorised_on": "2026-01-02",
    }
    received, _created = import_file(
        actor=None, partner=partner, data=json.dumps([record]).encode(), file_name="feed.json"
    )
    return received


def _partner_mapping():
    received = _partner_import()
    mapping = received.partner.mappings.get()
    return {"partner_id": received.partner_id, "mapping_id": mapping.pk}


def _invitation(operator, people):
    """An invitation sent to the newcomer's address before they had an account."""
    import datetime as dt

    from openaeo.operators.models import OperatorInvitation

    token = OperatorInvitation.new_token()
    invitation = OperatorInvitation.objects.create(
        operator=operator,
        email=people["newcomer"].email,
        role="viewer",
        token_digest=OperatorInvitation.digest_of(token),
        invited_by=people["owner"],
        created_at=clock.now(),
        expires_at=clock.now() + dt.timedelta(days=14),
    )
    return invitation, token


def _site(operator):
    from openaeo.operators.models import OperatorSite

    return OperatorSite.objects.create(
        operator=operator,
        name="Main warehouse",
        kind=OperatorSite.Kind.WAREHOUSE,
        address="Plot 7, Industrial Area",
        created_at=clock.now(),
    )


def _contact(operator):
    from openaeo.operators.models import OperatorContact

    return OperatorContact.objects.create(
        operator=operator,
        name="Amina Otieno",
        function=OperatorContact.Function.CUSTOMS,
        email="amina@example.test",
        created_at=clock.now(),
    )


def _an_answer(assessment):
    from openaeo.assessments.selectors import asked

    question = next(q for _h, _r, q in asked(assessment) if q["answer"] == "yes_no_partly")
    return {"question": question["id"], "value": "yes", "version": "0", "part": "1"}


def _an_attachment(assessment):
    """A document question with no file: allowed callers are sent back with a message."""
    from openaeo.assessments.selectors import questionnaire

    for part in questionnaire(assessment):
        for block in part.requirements:
            for question, _answer in block.questions:
                if question["answer"] == "document":
                    return {"question": question["id"], "part": str(part.number)}
    raise AssertionError("the matrix assessment asks no document question")


def _clean_evidence(operator, owner):
    from django.core.files.base import ContentFile

    from openaeo.evidence.models import EvidenceFile, EvidenceStatus

    evidence = EvidenceFile(
        operator=operator,
        uploaded_by=owner,
        original_name="seal-log.pdf",
        detected_type="application/pdf",
        size=9,
        sha256="0" * 64,
        status=EvidenceStatus.CLEAN,
        uploaded_at=clock.now(),
    )
    evidence.file.save("seal-log.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return evidence


MATRIX = [(route, role) for route in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("route", "role"), MATRIX, ids=[f"{r}-{p}" for r, p in MATRIX])
def test_route_answers_each_role_as_its_policy_says(
    route, role, people, objects, client_for, request
):
    method, kwargs_name, outcomes, *payload = EXPECTED[route]
    if route.startswith(("catalogue:", "assessments:", "cases:")):
        request.getfixturevalue("programmes")
    kwargs = objects[kwargs_name] if kwargs_name else None
    url = reverse(route, kwargs=kwargs() if callable(kwargs) else kwargs)
    data = objects[payload[0]]() if payload else {}
    client = client_for(people[role])
    response = client.post(url, data) if method == "post" else client.get(url)
    expected = outcomes[role]
    if expected == TO_LOGIN:
        assert response.status_code == 302, f"{route} as {role}: {response.status_code}"
        assert response["Location"].startswith(reverse("account_login")), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{route} as {role}: expected {expected}, got {response.status_code}"
        )


@pytest.mark.parametrize("route", ["operators:detail"])
def test_refusal_does_not_reveal_that_an_operator_exists(route, people, operator, client_for):
    client = client_for(people["other_owner"])
    existing_url = reverse(route, kwargs={"operator_id": operator.pk})
    missing_url = reverse(route, kwargs={"operator_id": operator.pk + 10_000})
    existing, missing = client.get(existing_url), client.get(missing_url)
    assert existing.status_code == missing.status_code == 404
    # The pages may differ only in the address asked for and the per-response
    # masking of the CSRF token.
    assert _normalised(existing.content, existing_url) == _normalised(missing.content, missing_url)


def _normalised(content: bytes, url: str) -> bytes:
    import re

    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return content.replace(url.encode(), b"URL")


def test_validator_sees_only_own_office(people):
    from openaeo.accounts.selectors import offices_visible_to, visible_office_ids

    validator_offices = visible_office_ids(people["validator"])
    assert validator_offices is not None and len(validator_offices) == 1
    assert visible_office_ids(people["validator_elsewhere"]) != validator_offices
    assert visible_office_ids(people["programme_manager"]) is None  # every office
    assert visible_office_ids(people["owner"]) == frozenset()
    assert [office.code for office in offices_visible_to(people["validator"])] == ["PORT"]


def test_granting_all_offices_widens_a_validators_view(people):
    from openaeo.accounts.models import Office
    from openaeo.accounts.selectors import visible_office_ids
    from openaeo.accounts.services import staff_role_grant

    validator = people["validator"]
    staff_role_grant(
        actor=people["administrator"],
        user=validator,
        office=Office.objects.get(code="PORT"),
        role="validator",
        all_offices=True,
    )
    assert visible_office_ids(validator) is None
