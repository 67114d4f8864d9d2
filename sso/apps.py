from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on per organisation (OpenID Connect, django-allauth's socialaccount)."""

    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        # Imported here, not at the top: models can only be imported once the app registry is ready.
        from django.db.models.signals import post_delete

        from core.signin import register_password_check
        from sso import receivers
        from sso.models import SsoConfiguration
        from sso.selectors import password_sign_in_refusal

        register_password_check(password_sign_in_refusal)  # "SSO required" refuses a password sign-in
        # However a configuration goes (switched off, or with its organisation), its SocialApp goes with it.
        post_delete.connect(receivers.delete_social_app, sender=SsoConfiguration,
                            dispatch_uid="sso-configuration-deletes-its-social-app")
