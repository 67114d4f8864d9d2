"""Celery tasks of KPIs: celery beat recomputes the computed KPIs' recent months (settings.CELERY_BEAT_SCHEDULE)."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from kpis import services, sources
from kpis.models import MANUAL, Kpi

logger = logging.getLogger(__name__)


def month_before(day: date) -> date:
    """The first day of the month before `day`'s."""
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def kpis_compute_recent(*, today: date | None = None) -> int:
    """Compute this month and last month of every computed KPI (older months only change on demand, from the KPI's
    page or POST /api/v1/kpis/{id}/compute/); months holding a typed value are kept. How many KPIs were computed."""
    today = today or timezone.localdate()
    since = month_before(today)
    done = 0
    for kpi in Kpi.objects.exclude(source=MANUAL).select_related("plan").order_by("pk").iterator(chunk_size=200):
        if sources.get(kpi.source) is None:
            continue  # a source whose app is not installed here
        try:
            services.kpi_compute(kpi=kpi, actor=None, since=since)
        except ValidationError:
            logger.exception("KPI %s could not be computed", kpi.pk)
            continue
        done += 1
    return done


@shared_task
def kpis_compute_task() -> int:
    """Celery beat: recompute the recent months of every computed KPI."""
    return kpis_compute_recent()
