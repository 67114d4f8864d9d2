from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Signing in through django-allauth: the sign-in page, second factors, an organisation's MFA requirement."""

    name = "identity"
    verbose_name = _("Sign-in")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from allauth.core.internal import ratelimit
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from core.limits_cache import FallbackCache
        from identity import receivers

        # allauth counts its limits in `django.core.cache.cache`; while Redis is unreachable that would answer 500
        # on the second-factor page. FallbackCache counts in the process's memory meanwhile (core.limits_cache).
        ratelimit.cache = FallbackCache()
        mfa_signals.authenticator_added.connect(receivers.authenticator_added, dispatch_uid="identity-mfa-added")
        mfa_signals.authenticator_removed.connect(receivers.authenticator_removed,
                                                  dispatch_uid="identity-mfa-removed")
        user_logged_in.connect(receivers.user_logged_in, dispatch_uid="identity-mfa-due")
