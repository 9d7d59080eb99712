from django.urls import path

from openaeo.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/", views.roles, name="roles"),
    path("overview/", views.dashboard, name="dashboard"),
]
