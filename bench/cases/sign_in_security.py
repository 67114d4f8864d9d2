"""The organisation's sign-in security page lists the members still without a second factor: timed for an
organisation of SMALL members beside one of LARGE (made here, removed after), with the same query count."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bench.cases import ratio
from bench.measure import interleaved, ms, query_count
from bench.report import Row
from identity.models import MfaPolicy
from tenancy.models import Membership, Organisation, Role

TARGET = "queries constant"
SMALL, LARGE = 10, 1000


def _organisation(size: int, tag: str):
    """An organisation requiring a second factor, its owner (who has one) and `size` members without."""
    users = get_user_model()
    organisation = Organisation.objects.create(name=f"bench-mfa-{tag}", slug=f"bench-mfa-{tag}")
    owner = users.objects.create(username=f"bench-mfa-{tag}-owner")
    Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    members = users.objects.bulk_create([users(username=f"bench-mfa-{tag}-{n}") for n in range(size)])
    Membership.objects.bulk_create([Membership(organisation=organisation, user=owner, role=Role.OWNER)] + [
        Membership(organisation=organisation, user=user, role=Role.VIEWER) for user in members])
    MfaPolicy.objects.create(organisation=organisation, required=True)
    return organisation, owner


def run(ctx) -> list[Row]:
    made = [_organisation(SMALL, "small"), _organisation(LARGE, "large")]
    try:
        return [_measure(ctx, made)]
    finally:
        for organisation, _owner in made:
            organisation.delete()
        get_user_model().objects.filter(username__startswith="bench-mfa-").delete()


def _measure(ctx, made) -> Row:
    clients = []
    for organisation, owner in made:
        client = Client()
        client.force_login(owner)
        clients.append((client, reverse("organisation_security", args=[organisation.pk])))

    def get(which):
        client, url = clients[which]
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    timings = interleaved({"large": lambda: get(1), "small": lambda: get(0)},
                          runs=ctx.runs if ctx.ci else max(3, ctx.runs // 3))
    large_queries, _ = query_count(lambda: get(1))
    small_queries, _ = query_count(lambda: get(0))
    met = large_queries == small_queries
    if not met:
        ctx.explain_miss("Sign-in security page", lambda: get(1))
    return Row(
        case=f"Sign-in security page, {LARGE} members without a second factor",
        figure=f"{ms(timings['large'].p50)} · p95 {ms(timings['large'].p95)} · {large_queries} queries",
        baseline=f"{SMALL} members: {ms(timings['small'].p50)} · {small_queries} queries",
        ratio=ratio(timings["large"].p50, timings["small"].p50), target=TARGET, met=met,
        details={"p50": timings["large"].p50, "baseline_p50": timings["small"].p50, "queries": large_queries,
                 "baseline_queries": small_queries},
    )
