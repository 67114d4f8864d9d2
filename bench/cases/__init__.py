"""The cases: each module's `run(ctx)` returns report rows (figure, baseline, ratio, target)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.test import Client

from bench.measure import explain_slowest, profile_text, query_count
from bench.report import Profile


@dataclass
class Context:
    """What every case gets: the data set's ids, how many runs, where to log, and the profiles collected."""

    data: dict
    runs: int = 30
    slow_runs: int = 5
    ci: bool = False
    profile: bool = True
    server_url: str | None = None  # an already running server for the HTTP load (tests); else gunicorn is started
    subprocesses: bool = True  # PDF memory and the Celery worker run in processes of their own
    log: Callable = print
    profiles: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def org(self) -> dict:
        """The organisation most cases use: the first (it also holds the small and map plans)."""
        return self.data["organisations"][0]

    def member(self, org: dict | None = None):
        return get_user_model().objects.get(username=(org or self.org)["member"])

    def client(self, org: dict | None = None) -> Client:
        client = Client()
        client.force_login(self.member(org))
        return client

    def explain_miss(self, case: str, function: Callable) -> None:
        """Profile a figure that missed its target (pyinstrument), plus EXPLAIN ANALYZE on PostgreSQL."""
        if not self.profile:
            return
        _count, queries = query_count(function)
        self.profiles.append(Profile(case=case, text=profile_text(function), explain=explain_slowest(queries)))


def ratio(figure: float, baseline: float) -> float | None:
    return figure / baseline if baseline else None
