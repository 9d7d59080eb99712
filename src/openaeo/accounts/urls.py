from django.urls import path

from openaeo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="token_revoke"),
    path("offices/", views.offices, name="offices"),
]
