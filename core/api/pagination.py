"""How every API list is paged: page numbers (the default, as before) or cursors by id (`?pagination=cursor`).

Page numbers are `{count, next, previous, results}` ordered as the list says (`?ordering=`), with the primary key as
the last key so rows of equal keys keep one order. A row renamed while a client pages by name still moves between
pages: page numbers suit screens, not syncs. Cursor pages walk the primary key (`id`, or `-id` for newest first),
which no update changes, so rows renamed or updated meanwhile are neither skipped nor repeated; rows created
meanwhile appear at the end (or the start, for `-id`). Both answer the same shape and send RFC 8288 `Link` headers
(rel next/prev/first, and last for page numbers). A page size, page, cursor or switch the list cannot read answers
400 naming the parameter and what it takes.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 500
PAGE_SIZE_PARAM = "page_size"
SWITCH_PARAM = "pagination"
CURSOR_PARAM = "cursor"
ORDERING_PARAM = "ordering"
CURSOR_ORDERINGS = ("id", "-id")
MODES = ("page", "cursor")
BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def with_unique_order(queryset):
    """`queryset` in its order (or its model's, which Django leaves out of GROUP BY queries) ending with the
    primary key, in the direction of the first key."""
    ordering = list(queryset.query.order_by)
    if not ordering and queryset.query.default_ordering:
        ordering = list(queryset.model._meta.ordering)
    if not any(_is_primary_key(term) for term in ordering):
        descending = bool(ordering) and isinstance(ordering[0], str) and ordering[0].startswith("-")
        ordering.append("-pk" if descending else "pk")
    return queryset.order_by(*ordering)


def _is_primary_key(term) -> bool:
    name = term if isinstance(term, str) else getattr(getattr(term, "expression", None), "name", None)
    return isinstance(name, str) and name.lstrip("-") in ("pk", "id")


def page_size_from(request) -> int:
    value = request.query_params.get(PAGE_SIZE_PARAM)
    if value is None:
        return api_settings.PAGE_SIZE
    try:
        size = int(value)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({PAGE_SIZE_PARAM: [
            _("Enter a whole number from 1 to %(max)d (%(default)d when left out).")
            % {"max": MAX_PAGE_SIZE, "default": api_settings.PAGE_SIZE}]})
    return size


def link_header(**urls) -> str:
    """An RFC 8288 Link header value: `<url>; rel="next", …` for the URLs given."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in urls.items() if url)


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers (`?page=2`, `?page=last`), refusing a page size or page number it cannot read."""

    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size_from(request)

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or "1"
        if value in self.last_page_strings:
            return paginator.num_pages
        if not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_query_param: [_("Enter a page number from 1, or “last”.")]})
        return int(value)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        url = self.request.build_absolute_uri()
        first = remove_query_param(url, self.page_query_param)
        last = replace_query_param(url, self.page_query_param, self.page.paginator.num_pages)
        response["Link"] = link_header(next=self.get_next_link(), prev=self.get_previous_link(), first=first,
                                       last=last if self.page.paginator.num_pages > 1 else first)
        return response


class CursorPagination(pagination.CursorPagination):
    """Cursor pages along the primary key: `?pagination=cursor` (or an empty `?cursor=`) starts, `next` goes on."""

    page_size_query_param = PAGE_SIZE_PARAM
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"

    def paginate_queryset(self, queryset, request, view=None):
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return page_size_from(request)

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(ORDERING_PARAM) or self.ordering
        if value not in CURSOR_ORDERINGS:
            raise ValidationError({ORDERING_PARAM: [
                _("With cursor pages the order is id, -id (oldest or newest first), not “%(value)s”.")
                % {"value": value}]})
        return (value,)

    def decode_cursor(self, request):
        invalid = ValidationError({self.cursor_query_param: [
            _("This cursor cannot be read: follow the next or previous link of a list as it is.")]})
        if not BASE64.fullmatch(request.query_params.get(self.cursor_query_param, "")):
            raise invalid  # b64decode would drop the letters it cannot read and start again from the first page
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        if cursor is not None and cursor.position is not None and not cursor.position.isdigit():
            raise invalid
        return cursor

    def get_paginated_response(self, data):
        first = replace_query_param(remove_query_param(self.base_url, self.cursor_query_param), SWITCH_PARAM, "cursor")
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        return Response({"count": self.count, "next": next_url, "previous": previous_url, "results": data},
                        headers={"Link": link_header(next=next_url, prev=previous_url, first=first)})


class ListPagination(pagination.BasePagination):
    """Page numbers unless `?pagination=cursor` or a `cursor` parameter asks for cursor pages; see the module."""

    def paginate_queryset(self, queryset, request, view=None):
        mode = request.query_params.get(SWITCH_PARAM)
        if mode is not None and mode not in MODES:
            raise ValidationError({SWITCH_PARAM: [
                _("Choose %(modes)s, not “%(value)s”.") % {"modes": ", ".join(MODES), "value": mode}]})
        use_cursor = mode == "cursor" or (mode is None and CURSOR_PARAM in request.query_params)
        self.pages = CursorPagination() if use_cursor else PageNumberPagination()
        return self.pages.paginate_queryset(with_unique_order(queryset), request, view)

    def get_paginated_response(self, data):
        return self.pages.get_paginated_response(data)

    @property
    def display_page_controls(self):
        return getattr(getattr(self, "pages", None), "display_page_controls", False)

    def to_html(self):
        return self.pages.to_html()

    def get_paginated_response_schema(self, schema):
        answer = PageNumberPagination().get_paginated_response_schema(schema)
        answer["required"] = ["count", "next", "previous", "results"]
        return answer

    def get_schema_operation_parameters(self, view):
        page, size = PageNumberPagination().get_schema_operation_parameters(view)
        size["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                          "default": api_settings.PAGE_SIZE}
        size["description"] = str(_("Rows per page, 1 to %(max)d.") % {"max": MAX_PAGE_SIZE})
        page["schema"] = {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]}
        page["description"] = str(_("A page number from 1, or “last” (page numbers only)."))
        switch = {"name": SWITCH_PARAM, "in": "query", "required": False,
                  "schema": {"type": "string", "enum": list(MODES), "default": "page"},
                  "description": str(_("“cursor” for cursor pages along the id, which rows changed meanwhile "
                                       "neither skip nor repeat; then follow `next`. Default: page numbers."))}
        cursor = {"name": CURSOR_PARAM, "in": "query", "required": False, "schema": {"type": "string"},
                  "description": str(_("Where cursor pages go on: taken from a `next` or `previous` link."))}
        return [page, size, switch, cursor]
