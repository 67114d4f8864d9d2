"""The invitation email (sent by tenancy.tasks.invitation_send_task once the invitation is committed)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenancy.models import Invitation


def invitation_send(*, invitation: Invitation) -> None:
    """Email the invitation link (idempotent: sends once)."""
    if invitation.sent_at or not invitation.is_pending:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    inviter = invitation.invited_by or _("An administrator")
    send_mail(
        subject=_("You are invited to join %(organisation)s") % {"organisation": invitation.organisation},
        message=_("%(inviter)s invites you to join %(organisation)s as %(role)s.\n\nAccept: %(link)s\n")
        % {"inviter": inviter, "organisation": invitation.organisation, "role": invitation.get_role_display(),
           "link": link},
        from_email=None,
        recipient_list=[invitation.email],
    )
    Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(sent_at=timezone.now())
