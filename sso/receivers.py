"""A configuration's allauth SocialApp goes with it, however the configuration is deleted: switched off by an admin
(sso.services.configuration_delete) or removed with its organisation (a cascade, which never calls our services).
The app holds the client secret: none may be left behind."""

from allauth.socialaccount.models import SocialApp


def delete_social_app(sender, instance, **kwargs) -> None:
    """post_delete of an SsoConfiguration (connected in SsoConfig.ready)."""
    SocialApp.objects.filter(pk=instance.social_app_id).delete()
