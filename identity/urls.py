from django.urls import path

from identity import views

urlpatterns = [
    # allauth's sign-in under the name the rest of the site reverses; allauth.urls (config/urls.py) follows.
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("organisations/<int:pk>/security/", views.organisation_security, name="organisation_security"),
]
