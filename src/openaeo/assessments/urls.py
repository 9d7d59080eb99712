from django.urls import path

from openaeo.assessments import views

app_name = "assessments"

urlpatterns = [
    path("start/<int:operator_id>/", views.start, name="start"),
    path("<int:assessment_id>/", views.overview, name="overview"),
    path("<int:assessment_id>/part/<int:number>/", views.heading, name="heading"),
    path("<int:assessment_id>/answer/", views.answer, name="answer"),
]
