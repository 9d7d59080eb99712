from django.urls import path

from openaeo.assessments import views

app_name = "assessments"

urlpatterns = [
    path("start/<int:operator_id>/", views.start, name="start"),
    path("<int:assessment_id>/", views.overview, name="overview"),
    path("<int:assessment_id>/part/<int:number>/", views.heading, name="heading"),
    path("<int:assessment_id>/answer/", views.answer, name="answer"),
    path("<int:assessment_id>/attach/", views.attach, name="attach"),
    path("<int:assessment_id>/gaps/", views.gaps, name="gaps"),
    path("<int:assessment_id>/gaps.<str:kind>", views.gaps_export, name="gaps_export"),
    path("<int:assessment_id>/action-plan/", views.action_plan, name="action_plan"),
    path("<int:assessment_id>/actions/", views.actions, name="actions"),
]
