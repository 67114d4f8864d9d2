from django.urls import path

from core import views_tokens

urlpatterns = [
    path("organisations/<int:pk>/api-tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("organisations/<int:pk>/api-tokens/<int:token_pk>/revoke/", views_tokens.api_token_revoke,
         name="api_token_revoke"),
]
