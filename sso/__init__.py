"""Single sign-on per organisation with OpenID Connect (django-allauth's socialaccount provider)."""
