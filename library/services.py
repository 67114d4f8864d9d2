"""Every write of library: save a plan as a template, delete a template, ask for a plan made from a template, start
a journey from an idea of the gallery, publish a persona or a journey to the organisation's library, remove it,
pick it into a plan.

Who may: owners, admins and the plan's managers save a plan as a template (Access.MANAGE on the plan); owners,
admins and whoever saved it delete it; any member who may create plans (not viewers or commenters) makes a plan
from a built-in template or one of the organisation's.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from library import builtins, documents, ideas
from library.models import LibraryItem, LibraryKind, PlanTemplate, TemplateUse
from library.tasks import template_use_enqueue
from planning.models import Persona
from roadmaps.exports.json_import import import_journeys_into
from tenancy.access import Access, membership_for, require_plan_access
from tenancy.activity import activity_record
from tenancy.models import MANAGING_ROLES, READ_ONLY_ROLES, Verb
from versions.duplicate import record_created


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def template_save(*, plan, actor, name: str, description: str = "") -> PlanTemplate:
    """Store the plan's structure (library/documents.py) as a template of its organisation."""
    require_plan_access(actor, plan, Access.MANAGE)
    name = name.strip()
    if PlanTemplate.objects.filter(organisation_id=plan.organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": _("The organisation already has a template of this name.")})
    document = documents.plan_template_document(plan)
    blob = documents.dump(document)
    template = PlanTemplate(organisation_id=plan.organisation_id, name=name, description=description.strip(),
                            source_plan=plan, created_by=_user(actor), document=blob, size_bytes=len(blob),
                            **documents.counts(document))
    template.full_clean(exclude=["document"], validate_unique=False)
    template.save()
    activity_record(actor=actor, instance=template, verb=Verb.CREATED, changes={"name": [None, template.name]})
    return template


@transaction.atomic
def template_delete(*, template: PlanTemplate, actor) -> None:
    membership = membership_for(actor, template.organisation_id)
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if membership.role not in MANAGING_ROLES and template.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only owners, admins and whoever saved it may delete a template."))
    activity_record(actor=actor, instance=template, verb=Verb.DELETED, changes={})
    template.delete()


def require_plan_creator(actor, organisation_id):
    membership = membership_for(actor, organisation_id)
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if membership.role in READ_ONLY_ROLES:
        raise PermissionDenied(_("Viewers cannot create plans. Ask an administrator for the editor role."))
    return membership


@transaction.atomic
def template_use_request(*, actor, organisation, name: str, template: PlanTemplate | None = None,
                         builtin: str = "") -> TemplateUse:
    """Check the request and queue the job (enqueued once this transaction commits)."""
    require_plan_creator(actor, organisation.pk)
    if template is not None:
        if template.organisation_id != organisation.pk:
            raise ValidationError({"template": _("Choose a template of this organisation.")})
        builtin, default_name = "", template.name
    elif builtin in builtins.TEMPLATES:
        default_name = _(builtins.TEMPLATES[builtin].name)
    else:
        raise ValidationError({"template": _("Choose a template.")})
    job = TemplateUse(organisation=organisation, template=template, builtin=builtin,
                      name=(name.strip() or default_name)[:200], requested_by=_user(actor))
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: template_use_enqueue(job.pk))
    return job


@transaction.atomic
def journey_from_idea(*, plan, actor, key: str, persona=None, name: str = ""):
    """A new journey of `plan` from an idea of the gallery (library.ideas): its stages and suggested touchpoints, in
    the actor's language, on the organisation's channels, for `persona` (one of the plan's) when given. Made by the
    plan import (roadmaps.exports.json_import), every object recorded in the history. Returns the journey."""
    require_plan_access(actor, plan, Access.EDIT)
    idea = ideas.BY_KEY.get(key)
    if idea is None:
        raise ValidationError({"idea": _("There is no such journey idea.")})
    if persona is not None and persona.plan_id != plan.pk:
        raise ValidationError({"persona": _("This belongs to another plan.")})
    document = documents.journeys_document([idea], organisation=plan.organisation)
    journey_row = document["journeys"][0]
    if name.strip():
        journey_row["name"] = name.strip()[:200]
    personas = {}
    if persona is not None:
        journey_row["persona"], personas = "P1", {"P1": persona}
    refs, _warnings = import_journeys_into(document, plan=plan, personas=personas)
    journey = refs["J"][journey_row["ref"]]
    record_created(actor, plan, {"journey": journey})
    return journey


@transaction.atomic
def library_publish(*, plan, actor, persona=None, journey=None, description: str = "") -> LibraryItem:
    """Publish one persona or journey of `plan` to the organisation's library (owners, admins, the plan's
    managers): a copy of it as it is now, which the library keeps whatever happens to the plan."""
    require_plan_access(actor, plan, Access.MANAGE)
    source = persona or journey
    if (persona is None) == (journey is None) or source.plan_id != plan.pk:
        raise ValidationError(_("Choose one persona or one journey of this plan."))
    kind = LibraryKind.PERSONA if persona is not None else LibraryKind.JOURNEY
    if LibraryItem.objects.filter(organisation_id=plan.organisation_id, kind=kind, name__iexact=source.name).exists():
        raise ValidationError(_("The library already holds a %(kind)s named “%(name)s”: rename yours, or remove "
                                "theirs first.") % {"kind": LibraryKind(kind).label.lower(), "name": source.name})
    document = documents.persona_document(persona) if persona else documents.journey_document(journey)
    item = LibraryItem(organisation_id=plan.organisation_id, kind=kind, name=source.name[:200],
                       description=(description.strip() or source.description)[:2000], document=document,
                       source_plan=plan, published_by=_user(actor))
    item.full_clean(validate_unique=False)
    item.save()
    activity_record(actor=actor, instance=item, verb=Verb.CREATED, changes={"name": [None, item.name],
                                                                            "kind": [None, item.kind]})
    return item


@transaction.atomic
def library_remove(*, item: LibraryItem, actor) -> None:
    membership = membership_for(actor, item.organisation_id)
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if membership.role not in MANAGING_ROLES and item.published_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only owners, admins and whoever published it may remove it from the library."))
    activity_record(actor=actor, instance=item, verb=Verb.DELETED, changes={})
    item.delete()


@transaction.atomic
def library_pick(*, item: LibraryItem, plan, actor):
    """Add a copy of a library persona or journey to `plan` (its editors). A journey's persona is the plan's persona
    of the same name when there is one, else a copy of it. Returns the persona or journey made."""
    require_plan_access(actor, plan, Access.EDIT)
    if item.organisation_id != plan.organisation_id:
        raise ValidationError(_("This belongs to another organisation."))
    document = item.document
    if item.kind == LibraryKind.PERSONA:
        refs, _warnings = import_journeys_into(document, plan=plan)
        persona = refs["P"][document["personas"][0]["ref"]]
        activity_record(actor=actor, instance=persona, verb=Verb.CREATED, changes={"name": [None, persona.name]})
        return persona
    personas = {}
    for row in document.get("personas", []):
        found = Persona.objects.filter(plan=plan, name=row["name"]).order_by("pk").first()
        if found is not None:
            personas[row["ref"]] = found
    refs, _warnings = import_journeys_into(document, plan=plan, personas=personas)
    journey = refs["J"][document["journeys"][0]["ref"]]
    created = [p for ref, p in refs.get("P", {}).items() if ref not in personas]
    record_created(actor, plan, {"journey": journey, "personas": created})
    return journey
