from django.urls import path

from sso import views

urlpatterns = [
    path("accounts/sso/", views.sso_sign_in, name="sso_login"),
    path("organisations/<int:pk>/settings/sso/", views.sso_settings, name="sso_settings"),
    path("organisations/<int:pk>/settings/sso/delete/", views.sso_delete, name="sso_delete"),
]
