from django.urls import path

from openaeo.common import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_event_list, name="list"),
    path("<int:sequence>/", views.audit_event_detail, name="detail"),
]
