from django.urls import path

from sync import views

urlpatterns = [
    path("organisations/<int:pk>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("organisations/<int:pk>/api-tokens/<int:token_pk>/revoke/", views.api_token_revoke,
         name="api_token_revoke"),
]
