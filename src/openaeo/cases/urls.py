from django.urls import path

from openaeo.cases.views import applicant, case_page, queue, visit

app_name = "cases"

urlpatterns = [
    # The applicant's side
    path("submit/<int:assessment_id>/", applicant.submit, name="submit"),
    path("<int:application_id>/", applicant.status, name="status"),
    path("<int:application_id>/messages/<int:request_id>/", applicant.reply, name="reply"),
    path("<int:application_id>/withdraw/", applicant.withdraw, name="withdraw"),
    path("<int:application_id>/appeal/", applicant.appeal, name="appeal"),
    path(
        "<int:application_id>/decisions/<int:decision_id>/letter.pdf",
        applicant.decision_letter,
        name="decision_letter",
    ),
    path(
        "<int:application_id>/visits/<int:visit_id>/report.pdf",
        visit.report,
        name="visit_report",
    ),
    path(
        "<int:application_id>/corrective-actions/<int:action_id>/done/",
        visit.corrective_done,
        name="corrective_action_done",
    ),
    # Customs
    path("cases/", queue.work_queue, name="queue"),
    path("cases/assign/", queue.assign, name="assign"),
    path("cases/<int:application_id>/", case_page.case, name="case"),
    path("cases/<int:application_id>/do/<slug:action>/", case_page.act, name="act"),
    path(
        "cases/<int:application_id>/messages/<int:request_id>/",
        case_page.follow_up,
        name="follow_up",
    ),
    path("cases/<int:application_id>/visit/plan/", visit.plan, name="visit_plan"),
    path(
        "cases/<int:application_id>/visits/<int:visit_id>/items/<int:item_id>/",
        visit.item_record,
        name="visit_item",
    ),
    path(
        "cases/<int:application_id>/visits/<int:visit_id>/complete/",
        visit.complete,
        name="visit_complete",
    ),
    path(
        "cases/<int:application_id>/corrective-actions/<int:action_id>/accept/",
        visit.corrective_accept,
        name="corrective_action_accept",
    ),
]
