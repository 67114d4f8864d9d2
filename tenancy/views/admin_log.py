"""The organisation's admin log page (owners and admins): filters, pages of 50, and the same rows as CSV."""

import csv
import itertools
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.spreadsheet_formulas import neutralise
from tenancy import selectors
from tenancy.access import organisation_for
from tenancy.forms import AdminLogFilterForm

PER_PAGE = 50
CSV_HEADERS = ["when", "who", "action", "object_type", "object_id", "object", "before", "after", "address",
               "user_agent", "through", "api_token"]


@login_required
def admin_log(request, pk):
    organisation, membership = organisation_for(request.user, pk, manage=True)
    form = AdminLogFilterForm(request.GET or None, organisation=organisation)
    entries = selectors.admin_log_list(user=request.user, organisation=organisation, filters=form.filters())
    if request.GET.get("format") == "csv":
        return _csv(entries, organisation)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.before_text, entry.after_text = _text(entry.before), _text(entry.after)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tenancy/admin_log.html", {
        "organisation": organisation, "membership": membership, "form": form, "page": page,
        "query": query.urlencode(),
    })


def _text(values) -> str:
    return "" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    """Every text cell goes through neutralise(): a value starting like a formula is not run by a spreadsheet."""
    if value is None:
        return ""
    return neutralise(value if isinstance(value, str) else _text(value))


def csv_row(entry) -> list[str]:
    return [_cell(value) for value in (
        timezone.localtime(entry.created_at).isoformat(), entry.actor_name, entry.action, entry.target_type,
        "" if entry.target_id is None else str(entry.target_id), entry.target_repr, entry.before, entry.after,
        entry.address or "", entry.user_agent, entry.channel, entry.api_token_name)]


def _csv(entries, organisation) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    entries = (csv_row(entry) for entry in entries.iterator(chunk_size=2000))
    rows = (writer.writerow(row) for row in itertools.chain([CSV_HEADERS], entries))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="admin-log-{organisation.pk}.csv"'
    return response
