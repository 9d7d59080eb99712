"""Demonstration data: one account per role, offices and a few small businesses.

Loaded through the same services as real use, so the demo's audit trail is a
real chain. Idempotent: every object is looked up by a natural key first.
"""

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from openaeo.accounts import services as account_services
from openaeo.accounts.models import Office
from openaeo.accounts.roles import MandateScope, OperatorRole, StaffRole
from openaeo.common import clock
from openaeo.monitoring import demo as monitoring_demo
from openaeo.operators import services as operator_services
from openaeo.operators.models import EconomicOperator, Mandate, OperatorMembership

DEMO_PASSWORD = "aeo-demo-2026"  # noqa: S105 - printed by `make run` for the demo accounts
DEMO_DOMAIN = "demo.openaeo.test"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role_label: str
    staff_role: str | None = None
    office: str = "HQ"


OFFICES = [
    ("HQ", "AEO Unit, Customs Headquarters"),
    ("PORT", "Seaport Customs Office"),
    ("AIR", "International Airport Customs Office"),
]

# The demo's validator and supervisor work at the seaport office, so new applications go there.
INTAKE_OFFICE = "PORT"
ACCOUNTS = [
    DemoAccount(
        f"owner@{DEMO_DOMAIN}", "Amina Njoroge", "Trader: owner of a micro coffee exporter"
    ),
    DemoAccount(
        f"editor@{DEMO_DOMAIN}", "Brian Otieno", "Trader: editor (prepares the application)"
    ),
    DemoAccount(f"viewer@{DEMO_DOMAIN}", "Chloe Wanjiru", "Trader: viewer"),
    DemoAccount(
        f"broker@{DEMO_DOMAIN}", "Daniel Mutua", "Representative: customs broker with a mandate"
    ),
    DemoAccount(
        f"manager@{DEMO_DOMAIN}",
        "Esther Kamau",
        "Customs: programme manager",
        StaffRole.PROGRAMME_MANAGER,
    ),
    DemoAccount(
        f"validator@{DEMO_DOMAIN}",
        "Farid Hassan",
        "Customs: validator (seaport office)",
        StaffRole.VALIDATOR,
        "PORT",
    ),
    DemoAccount(
        f"supervisor@{DEMO_DOMAIN}",
        "Grace Achieng",
        "Customs: supervisor (seaport office)",
        StaffRole.SUPERVISOR,
        "PORT",
    ),
    DemoAccount(
        f"helpdesk@{DEMO_DOMAIN}",
        "Hassan Ali",
        "Customs: relationship manager",
        StaffRole.RELATIONSHIP_MANAGER,
    ),
    DemoAccount(f"auditor@{DEMO_DOMAIN}", "Irene Chebet", "Customs: auditor", StaffRole.AUDITOR),
    DemoAccount(
        f"admin@{DEMO_DOMAIN}", "Joseph Kiprop", "Customs: administrator", StaffRole.ADMINISTRATOR
    ),
]

OPERATORS = [
    # identifier, legal name, country, owner's e-mail, roles, employees, turnover
    (
        "KE-P051234567A",
        "Kahawa Bora Coffee Exporters Ltd",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["exporter"],
        12,
        900_000,
    ),
    (
        "KE-P051234568B",
        "Pwani Freight Forwarders",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["freight_forwarder", "customs_broker"],
        38,
        4_500_000,
    ),
    (
        "KE-P051234569C",
        "Mlima Tea Growers Cooperative",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["exporter"],
        3,
        150_000,
    ),
    (
        "KE-P051234570D",
        "Savanna Logistics Ltd",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["freight_forwarder", "carrier", "warehouse_keeper"],
        120,
        30_000_000,
    ),
    (
        "KE-P051234571E",
        "Rift Valley Packaging Manufacturers",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["manufacturer", "exporter", "importer"],
        420,
        80_000_000,
    ),
    # Businesses whose applications are further along, for the officers' side of the demo.
    (
        "KE-P051234572F",
        "Naivasha Flower Exporters",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["exporter"],
        25,
        3_000_000,
    ),
    (
        "KE-P051234573G",
        "Mombasa Cold Chain Ltd",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["warehouse_keeper", "carrier"],
        60,
        12_000_000,
    ),
    (
        "KE-P051234574H",
        "Lamu Spice Traders",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["exporter"],
        4,
        200_000,
    ),
    (
        "KE-P051234575J",
        "Thika Avocado Exporters",
        "KE",
        f"owner@{DEMO_DOMAIN}",
        ["exporter"],
        18,
        1_500_000,
    ),
]


def demo_totp_secret(email: str) -> str:
    """A stable TOTP secret per demo account, derived from this installation's SECRET_KEY."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:demo-totp:{email}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def current_totp_code(email: str, at: dt.datetime | None = None) -> str:
    from allauth.mfa import app_settings

    moment = at or clock.now()
    return format_hotp_value(
        hotp_value(demo_totp_secret(email), int(moment.timestamp()) // app_settings.TOTP_PERIOD)
    )


def _person(account: DemoAccount):
    User = get_user_model()
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(account.email, DEMO_PASSWORD, full_name=account.full_name)
    EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    return user


def _load_programmes(created: dict[str, int]) -> None:
    from openaeo.catalogue import services as catalogue_services
    from openaeo.catalogue.programmes import shipped_programme_files

    _version, published = catalogue_services.catalogue_publish(actor=None)
    created["catalogues"] += int(published)
    for path in shipped_programme_files():
        _programme, changed = catalogue_services.programme_load(
            actor=None, path=path, make_default=True if path.stem == "safe-reference" else None
        )
        created["programmes"] += int(changed)


def load() -> dict[str, int]:
    """Create whatever is missing; return how many objects of each kind were created."""
    created = {
        "catalogues": 0,
        "programmes": 0,
        "offices": 0,
        "people": 0,
        "operators": 0,
        "memberships": 0,
        "mandates": 0,
    }
    with transaction.atomic():
        _load_programmes(created)
        offices = {}
        for code, name in OFFICES:
            office = Office.objects.filter(code=code).first()
            if office is None:
                office = account_services.office_create(
                    actor=None,
                    code=code,
                    name=name,
                    country="KE",
                    receives_applications=code == INTAKE_OFFICE,
                )
                created["offices"] += 1
            elif code == INTAKE_OFFICE and not office.receives_applications:
                # Created by an older demo, before offices received applications.
                office = account_services.office_update(
                    actor=None, office=office, receives_applications=True
                )
            offices[code] = office

        people = {}
        for account in ACCOUNTS:
            existed = get_user_model().objects.filter(email=account.email).exists()
            user = _person(account)
            created["people"] += 0 if existed else 1
            people[account.email] = user
            if account.staff_role:
                if account.staff_role not in user.staff_roles:
                    account_services.staff_role_grant(
                        actor=None,
                        user=user,
                        office=offices[account.office],
                        role=account.staff_role,
                    )
                if not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists():
                    TOTP.activate(user, demo_totp_secret(account.email))

        for identifier, legal_name, country, owner_email, roles, employees, turnover in OPERATORS:
            existing = EconomicOperator.objects.filter(identifier=identifier).first()
            if existing is not None:
                if not existing.roles:
                    # Loaded by an older demo, before businesses had a profile.
                    operator_services.operator_update_profile(
                        actor=people[owner_email],
                        operator=existing,
                        roles=roles,
                        employees=employees,
                        annual_turnover=turnover,
                    )
                continue
            operator_services.operator_register(
                actor=people[owner_email],
                legal_name=legal_name,
                identifier=identifier,
                country=country,
                roles=roles,
                employees=employees,
                annual_turnover=turnover,
            )
            created["operators"] += 1

        coffee = EconomicOperator.objects.get(identifier=OPERATORS[0][0])
        owner = people[f"owner@{DEMO_DOMAIN}"]
        for email, role in [
            (f"editor@{DEMO_DOMAIN}", OperatorRole.EDITOR),
            (f"viewer@{DEMO_DOMAIN}", OperatorRole.VIEWER),
        ]:
            if not OperatorMembership.objects.filter(operator=coffee, user=people[email]).exists():
                operator_services.membership_add(
                    actor=owner, operator=coffee, email=email, role=role
                )
                created["memberships"] += 1
        broker = people[f"broker@{DEMO_DOMAIN}"]
        if (
            not Mandate.objects.in_force(clock.today())
            .filter(operator=coffee, representative=broker)
            .exists()
        ):
            operator_services.mandate_grant(
                actor=owner,
                operator=coffee,
                email=broker.email,
                scopes=[MandateScope.PREPARE, MandateScope.CORRESPOND],
                valid_until=clock.today() + dt.timedelta(days=365),
            )
            created["mandates"] += 1
        _demo_assessment(coffee, owner, created)
        _demo_later_stages(owner, created)
        _demo_cases(people, created)
        monitoring_demo.load(created)
        _demo_reassessment(people)
    return created


def _demo_assessment(operator, owner, created: dict[str, int]) -> None:
    """The coffee exporter is part-way through its entry-tier self-assessment."""
    from openaeo.assessments import selectors as assessment_selectors
    from openaeo.assessments import services as assessment_services
    from openaeo.assessments.models import SelfAssessment
    from openaeo.catalogue.models import Programme

    if SelfAssessment.objects.filter(operator=operator).exists():
        return
    programme = Programme.objects.get(urn="urn:openaeo:programme:safe-reference")
    assessment = assessment_services.assessment_start(
        actor=owner, operator=operator, programme=programme, tier_code="entry"
    )
    created["assessments"] = created.get("assessments", 0) + 1
    answered_headings = set()
    for heading, _requirement, question in assessment_selectors.asked(assessment):
        if question["answer"] != "yes_no_partly":
            continue
        answered_headings.add(heading["id"])
        if len(answered_headings) > 3:
            break
        value, note = (
            ("yes", "")
            if len(answered_headings) < 3
            else ("partly", "Being put right: see the action plan.")
        )
        assessment_services.answer_save(
            actor=owner,
            assessment=assessment,
            question=question,
            value=value,
            explanation=note,
            seen_version=0,
        )


def _best_answer(question: dict) -> tuple[str, str]:
    kind = question["answer"]
    if kind == "choice":
        best = max(question["options"], key=lambda option: option.get("score", 1))
        return best["value"], ""
    if kind == "number":
        return "12", ""
    if kind == "date":
        return "2026-01-15", ""
    if kind == "document":
        return "", "The document is kept at the office and can be shown on request."
    return "yes", ""


def _answer_everything(assessment, owner, *, weak: int = 0) -> None:
    """Answer every question well, except the first `weak` yes/no questions ("partly")."""
    from openaeo.assessments import selectors as assessment_selectors
    from openaeo.assessments import services as assessment_services

    for _heading, _requirement, question in assessment_selectors.asked(assessment):
        value, note = _best_answer(question)
        if weak and question["answer"] == "yes_no_partly":
            value, note, weak = "partly", "Written procedure in preparation.", weak - 1
        assessment_services.answer_save(
            actor=owner,
            assessment=assessment,
            question=question,
            value=value,
            explanation=note,
            seen_version=0,
        )


def _demo_later_stages(owner, created: dict[str, int]) -> None:
    """Businesses of every size at different stages: registered only (the tea growers),
    a medium forwarder part-way, a large manufacturer with an action plan, and a
    small forwarder whose application is submitted."""
    from django.core.exceptions import ValidationError

    from openaeo.assessments import services as assessment_services
    from openaeo.assessments.models import SelfAssessment
    from openaeo.cases import services as case_services
    from openaeo.catalogue.models import Programme

    programme = Programme.objects.get(urn="urn:openaeo:programme:safe-reference")
    stages = [
        ("KE-P051234570D", "security", "partial"),
        ("KE-P051234571E", "security", "action_plan"),
        ("KE-P051234568B", "entry", "submitted"),
    ]
    for identifier, tier, stage in stages:
        operator = EconomicOperator.objects.get(identifier=identifier)
        if SelfAssessment.objects.filter(operator=operator).exists():
            continue
        assessment = assessment_services.assessment_start(
            actor=owner, operator=operator, programme=programme, tier_code=tier
        )
        created["assessments"] = created.get("assessments", 0) + 1
        if stage == "partial":
            from openaeo.assessments import selectors as assessment_selectors

            for _h, _r, question in assessment_selectors.asked(assessment)[:12]:
                value, note = _best_answer(question)
                assessment_services.answer_save(
                    actor=owner,
                    assessment=assessment,
                    question=question,
                    value=value,
                    explanation=note,
                    seen_version=0,
                )
        elif stage == "action_plan":
            _answer_everything(assessment, owner, weak=3)
            for action in assessment_services.action_plan_create(
                actor=owner, assessment=assessment
            ):
                assessment_services.action_update(
                    actor=owner,
                    action=action,
                    owner=owner,
                    due_date=clock.today() + dt.timedelta(days=21),
                )
        else:
            _answer_everything(assessment, owner)
            # Documents count once a virus scanner has cleared them; until then the entry
            # tier accepts the application with an improvement plan.
            for action in assessment_services.action_plan_create(
                actor=owner, assessment=assessment
            ):
                assessment_services.action_update(
                    actor=owner,
                    action=action,
                    owner=owner,
                    due_date=clock.today() + dt.timedelta(days=30),
                )
            try:
                case_services.application_submit(
                    actor=owner, assessment=assessment, declaration_accepted=True
                )
                created["applications"] = created.get("applications", 0) + 1
            except ValidationError as error:
                raise RuntimeError(
                    f"The demo application could not be submitted: {error.messages}"
                ) from error


def _demo_cases(people, created: dict[str, int]) -> None:
    """Cases at the steps officers work on, through the same services as real use:
    one waiting for the applicant's reply (clock stopped), one waiting for the
    supervisor's decision after a visit with a finding, one refused and open for appeal,
    and one granted, with its AEO certificate."""
    from openaeo.assessments import services as assessment_services
    from openaeo.cases import correspondence, decisions, visits, workflow
    from openaeo.cases import services as case_services
    from openaeo.cases.models import Application, ValidationVisit
    from openaeo.catalogue.models import Programme

    owner = people[f"owner@{DEMO_DOMAIN}"]
    validator = people[f"validator@{DEMO_DOMAIN}"]
    supervisor = people[f"supervisor@{DEMO_DOMAIN}"]
    programme = Programme.objects.get(urn="urn:openaeo:programme:safe-reference")

    def submitted(identifier: str) -> Application | None:
        operator = EconomicOperator.objects.get(identifier=identifier)
        if Application.objects.filter(operator=operator).exists():
            return None  # already there: the demo is loaded once
        assessment = assessment_services.assessment_start(
            actor=owner, operator=operator, programme=programme, tier_code="entry"
        )
        created["assessments"] = created.get("assessments", 0) + 1
        _answer_everything(assessment, owner)
        for action in assessment_services.action_plan_create(actor=owner, assessment=assessment):
            assessment_services.action_update(
                actor=owner,
                action=action,
                owner=owner,
                due_date=clock.today() + dt.timedelta(days=30),
            )
        revision = case_services.application_submit(
            actor=owner, assessment=assessment, declaration_accepted=True
        )
        created["applications"] = created.get("applications", 0) + 1
        application = revision.application
        workflow.case_assign(actor=supervisor, applications=[application], assignee=validator)
        return Application.objects.get(pk=application.pk)

    def step(application, service, **kwargs):
        service(
            actor=kwargs.pop("actor", validator),
            application=application,
            seen_version=application.version,
            **kwargs,
        )
        return Application.objects.get(pk=application.pk)

    def reviewed(application):
        application = step(application, workflow.case_accept)
        return step(
            application,
            workflow.case_finish_risk_review,
            summary="No infringement in the last three years; duties paid on time.",
        )

    def visited(application, finding: str):
        application = step(
            application,
            visits.visit_plan,
            planned_on=clock.today() + dt.timedelta(days=3),
            site="Main warehouse",
            mode="on_site",
            team=[validator],
        )
        visit = ValidationVisit.objects.get(application=application, completed_at__isnull=True)
        for number, item in enumerate(visit.items.order_by("position")):
            visits.visit_item_record(
                actor=validator,
                item=item,
                result=finding if number == 0 else "verified",
                notes="The seal log misses entries for two days." if number == 0 else "",
            )
        application = Application.objects.get(pk=application.pk)
        visits.visit_complete(
            actor=validator,
            visit=visit,
            seen_version=application.version,
            summary="A small, well-kept site. Seal checks need to be logged every day.",
        )
        return Application.objects.get(pk=application.pk)

    flowers = submitted("KE-P051234572F")
    if flowers is not None:
        flowers = reviewed(flowers)
        correspondence.case_ask(
            actor=validator,
            application=flowers,
            seen_version=flowers.version,
            subject="Who checks the seals?",
            body="Please tell us who checks container seals before loading, and send the "
            "seal log of the last month.",
            reply_due=clock.today() + dt.timedelta(days=14),
        )

    cold_chain = submitted("KE-P051234573G")
    if cold_chain is not None:
        cold_chain = visited(reviewed(cold_chain), "minor")
        step(
            cold_chain,
            decisions.case_recommend,
            outcome="granted",
            tier_code="entry",
            reasons="Meets every entry-level requirement; one minor gap in the seal log, "
            "with a corrective action.",
        )

    spices = submitted("KE-P051234574H")
    if spices is not None:
        spices = visited(reviewed(spices), "major")
        refusal = (
            "Containers leave without a seal check: there is no written procedure and nobody "
            "is named to do it. Write the procedure, train the staff and apply again."
        )
        spices = step(spices, decisions.case_recommend, outcome="refused", reasons=refusal)
        step(spices, decisions.case_decide, actor=supervisor, outcome="refused", reasons=refusal)

    # Granted two weeks ago, so that its certificate is already in effect (the effective
    # date follows the decision by the programme's days) and verifies as valid.
    with clock.frozen_at(clock.now() - dt.timedelta(days=14)):
        avocados = submitted("KE-P051234575J")
        if avocados is not None:
            avocados = visited(reviewed(avocados), "minor")
            granted = "Meets every entry-level requirement; the seal log gap is being put right."
            avocados = step(
                avocados,
                decisions.case_recommend,
                outcome="granted",
                tier_code="entry",
                reasons=granted,
            )
            # The grant issues the business's AEO certificate and its credential.
            step(
                avocados,
                decisions.case_decide,
                actor=supervisor,
                outcome="granted",
                tier_code="entry",
                reasons=granted,
            )


def _demo_reassessment(people) -> None:
    """A reassessment in progress on the granted demo certificate: a compliance alert made
    the supervisor open it; the certificate stays valid until the decision."""
    from openaeo.certificates import reassessments
    from openaeo.certificates.models import Certificate

    certificate = Certificate.objects.filter(
        identifier="KE-P051234575J", status__in=reassessments.OPEN_FOR
    ).first()
    if certificate is None or certificate.cases.exists():
        return  # no demo grant, or already there (the demo loads idempotently)
    reassessments.reassessment_open(
        actor=people[f"supervisor@{DEMO_DOMAIN}"],
        certificate=certificate,
        trigger="compliance_alert",
        trigger_reference="ALERT-2026-0042",
        reason=(
            "Two declarations of avocados were corrected after release this month. Customs "
            "checks that the export records are still kept as the certificate requires."
        ),
    )
