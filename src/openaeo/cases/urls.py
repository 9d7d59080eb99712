from django.urls import path

from openaeo.cases import views

app_name = "cases"

urlpatterns = [
    path("submit/<int:assessment_id>/", views.submit, name="submit"),
    path("<int:application_id>/", views.status, name="status"),
]
