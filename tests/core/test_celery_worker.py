"""The invitation email goes through Redis to a separate worker process, as in production."""

import pytest
from django.conf import settings
from django.urls import reverse

from tenancy import services
from tenancy.models import Invitation, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.worker


def test_worker_emails_the_invitation_link_and_marks_it_sent(celery_worker_process, mailoutbox):
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Owner")
    organisation = services.organisation_create(user=owner, name="Acme Worker Test")

    invitation = services.invitation_create(
        organisation=organisation, actor=owner, email="New.Person@Example.com", role=Role.EDITOR
    )

    celery_worker_process.wait_until(
        lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
        what="the worker to mark the invitation sent",
    )
    [email] = celery_worker_process.sent_emails()
    assert email["To"] == "new.person@example.com"
    assert email["Subject"] == "You are invited to join Acme Worker Test"
    body = email.get_content()
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    assert link in body
    assert "Olivia Owner invites you to join Acme Worker Test as Editor." in body
    assert mailoutbox == [], "the task ran in the test process instead of the worker"
