from django.urls import path

from openaeo.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("aeo-for-me/", views.guide, name="guide"),
    path("programme/", views.tiers, name="tiers"),
    path("templates/<slug:slug>/", views.template_download, name="template"),
    path("programme/compare/", views.compare, name="compare"),
    path("programmes/manage/", views.programme_manage_list, name="programme_manage"),
    path("programmes/manage/<int:programme_id>/", views.programme_edit, name="programme_edit"),
]
