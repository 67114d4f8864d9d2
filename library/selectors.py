"""Reads of library: an organisation's templates and the plans being made from them, for its members only (another
organisation's are absent: 404)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from library.models import LibraryItem, PlanTemplate, TemplateUse
from tenancy.access import memberships_of

LIST_DEFERRED = ("document",)  # a list never reads the stored document


def _organisation_ids(user):
    return memberships_of(user).values("organisation_id")


def template_list(*, user, organisation=None) -> QuerySet[PlanTemplate]:
    templates = (PlanTemplate.objects.filter(organisation_id__in=_organisation_ids(user))
                 .select_related("created_by", "source_plan").defer(*LIST_DEFERRED))
    return templates.filter(organisation=organisation) if organisation is not None else templates


def templates_without_documents() -> QuerySet[PlanTemplate]:
    """Every template, its document left unread (the changes feed shows a template's metadata only)."""
    return PlanTemplate.objects.select_related("created_by").defer(*LIST_DEFERRED)


def template_for(*, user, organisation, pk) -> PlanTemplate:
    template = template_list(user=user, organisation=organisation).filter(pk=pk).first() if str(pk).isdigit() \
        else None
    if template is None:
        raise Http404(_("No such template."))
    return template


def template_use_list(*, user, organisation=None) -> QuerySet[TemplateUse]:
    jobs = (TemplateUse.objects.filter(organisation_id__in=_organisation_ids(user))
            .select_related("template", "result_plan", "requested_by"))
    return jobs.filter(organisation=organisation) if organisation is not None else jobs


def library_list(*, user, organisation, kind=None) -> QuerySet[LibraryItem]:
    items = (LibraryItem.objects.filter(organisation_id__in=_organisation_ids(user), organisation=organisation)
             .select_related("published_by", "source_plan"))
    return items.filter(kind=kind) if kind else items


def library_items() -> QuerySet[LibraryItem]:
    """Every library item (the changes feed reads them by id)."""
    return LibraryItem.objects.select_related("published_by")


def library_item_for(*, user, organisation, pk) -> LibraryItem:
    item = library_list(user=user, organisation=organisation).filter(pk=pk).first() if str(pk).isdigit() else None
    if item is None:
        raise Http404(_("No such item in the library."))
    return item
