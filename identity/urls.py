from django.urls import path, re_path

from identity import views

# allauth.urls (config/urls.py, included after this) brings pages an invitation-only product does not offer; these
# come first and answer 404 (views.not_offered). What stays of allauth: the sign-in and its second-factor step, the
# second-factor management (/accounts/2fa/), re-authentication before such a change, the inactive-account notice,
# and the SSO ways back (login error or cancelled, the sign-up step when an account cannot be made silently).
NOT_OFFERED = [
    "accounts/signup/",  # accounts come from invitations (tenancy) or SSO
    "accounts/email/",  # one e-mail address, edited on the profile page
    "accounts/confirm-email/",  # no e-mail verification (ACCOUNT_EMAIL_VERIFICATION = "none")
    "accounts/password/set/",  # an SSO-only account signs in through its provider
    "accounts/password/reset/key/done/",  # the password reset is Django's (core.urls)
    "accounts/login/code/confirm/",  # no sign-in by e-mailed code
    "accounts/reauthenticate/code/",
    "accounts/reauthenticate/code/confirm/",
    "accounts/3rdparty/",  # the SSO link is the organisation's, not the person's to disconnect
    "accounts/social/connections/",
]

urlpatterns = [
    # allauth's sign-in under the name the rest of the site reverses; allauth.urls (config/urls.py) follows.
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("organisations/<int:pk>/security/", views.organisation_security, name="organisation_security"),
    *(path(route, views.not_offered) for route in NOT_OFFERED),
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", views.not_offered),
    re_path(r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", views.not_offered),
]
