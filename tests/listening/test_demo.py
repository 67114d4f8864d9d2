"""The demo plan gets a few hundred French and English mentions over twelve months, with themes (from the demo
taxonomy's rules), competitors and authors, so every listening page shows something on `make run`."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from listening import statistics
from listening.models import Competitor, Mention, MentionTheme
from tenancy.models import Plan


def test_the_demo_fills_every_listening_page(db, client):
    call_command("seed_demo")
    call_command("seed_demo")  # a second run adds nothing
    mentions = Mention.objects.all()
    assert 300 <= mentions.count() <= 600
    assert set(mentions.values_list("language", flat=True)) == {"fr", "en"}
    today = timezone.localdate()
    assert mentions.filter(mentioned_on__lt=today - timedelta(days=300)).exists()
    assert not mentions.filter(mentioned_on__gt=today).exists()
    assert MentionTheme.objects.values("mention").distinct().count() >= 0.5 * mentions.count()
    assert mentions.exclude(competitor=None).count() > 40 and Competitor.objects.count() == 2
    plan = Plan.objects.get(pk=mentions.first().plan_id)
    form_scope = statistics.Scope(plan_id=plan.pk, organisation_id=plan.organisation_id,
                                  start=today - timedelta(days=364), end=today)
    assert len([c for c in statistics.volume(form_scope)["channels"] if c["n"]]) >= 3
    client.force_login(plan.organisation.memberships.get(role="owner").user)
    for page in ("volume", "sentiment", "themes", "competitors", "authors"):
        body = client.get(reverse(f"listening_{page}", args=[plan.pk])).content.decode()
        assert "<svg" in body and "No mention matches" not in body


def test_the_demo_mentions_are_mostly_heard_on_social_networks(db):
    call_command("seed_demo", verbosity=0)
    counts = {}
    for name in Mention.objects.values_list("channel__name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    assert max(counts, key=counts.get) == "Social networks and communities"
