"""Channels, personas, stakeholders, journeys, stages and touchpoints. Every write is tracked and versioned."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Max, ProtectedError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from planning.models import Channel, ChannelKind, Journey, Persona, Stage, StageTemplate, Stakeholder, Touchpoint
from tenancy.access import Access, require_manager, require_plan_access
from tenancy.activity import (
    activity_bulk_record,
    atomic_write,
    batch_memo,
    snapshot,
    tracked_create,
    tracked_delete,
    tracked_update,
)
from tenancy.models import Activity, Plan, Verb

__all__ = [
    "BUILTIN_CHANNELS", "BUILTIN_STAGE_TEMPLATES", "channels_seed", "channel_create", "channel_update",
    "channel_delete", "persona_create", "persona_update", "persona_delete", "persona_copy", "stakeholder_create",
    "stakeholder_update", "stakeholder_delete", "journey_create", "journey_update", "journey_delete", "stage_create",
    "stage_update", "stage_move", "stage_delete", "stage_template_save", "touchpoint_create", "touchpoint_update",
    "touchpoint_move", "touchpoint_delete",
]

# The domain brief's channel list; names are translated into the creator's language when an organisation starts.
BUILTIN_CHANNELS = [
    (gettext_noop("Website"), ChannelKind.ONLINE),
    (gettext_noop("Mobile app"), ChannelKind.ONLINE),
    (gettext_noop("Landing page"), ChannelKind.ONLINE),
    (gettext_noop("Email / mailing"), ChannelKind.ONLINE),
    (gettext_noop("Online ad"), ChannelKind.ONLINE),
    (gettext_noop("Blog"), ChannelKind.ONLINE),
    (gettext_noop("Social networks and communities"), ChannelKind.ONLINE),
    (gettext_noop("Voice assistant"), ChannelKind.ONLINE),
    (gettext_noop("Advisor's app"), ChannelKind.ONLINE),
    (gettext_noop("Physical store"), ChannelKind.OFFLINE),
    (gettext_noop("Sales advisor"), ChannelKind.OFFLINE),
    (gettext_noop("In-store kiosk"), ChannelKind.OFFLINE),
    (gettext_noop("Checkout"), ChannelKind.OFFLINE),
    (gettext_noop("Customer service / phone"), ChannelKind.OFFLINE),
    (gettext_noop("TV / radio"), ChannelKind.OFFLINE),
    (gettext_noop("Direct mail"), ChannelKind.OFFLINE),
]

BUILTIN_STAGE_TEMPLATES = {
    "purchase": (gettext_noop("Discovery to after-sales"),
                 [gettext_noop("Discovery"), gettext_noop("Research"), gettext_noop("Conversion"),
                  gettext_noop("After-sales")]),
    "lifecycle": (gettext_noop("Customer lifecycle"),
                  [gettext_noop("Awareness"), gettext_noop("Acquisition"), gettext_noop("Onboarding"),
                   gettext_noop("Engagement"), gettext_noop("Retention"), gettext_noop("Advocacy")]),
}


def _check_same_plan(plan: Plan, **related) -> None:
    """Refuse (400, naming the field) a related object from another plan or organisation."""
    for field, obj in related.items():
        if obj is None:
            continue
        owner = getattr(obj, "plan_id", None)
        if owner is not None and owner != plan.pk:
            raise ValidationError({field: _("This belongs to another plan.")})
        org = getattr(obj, "organisation_id", None)
        if owner is None and org is not None and org != plan.organisation_id:
            raise ValidationError({field: _("This belongs to another organisation.")})


# Channels ------------------------------------------------------------------------------------------------------


def channels_seed(organisation, actor=None) -> None:
    """The built-in channels of a new organisation, recorded in its history (and so in the changes feed)."""
    existing = set(organisation.channels.values_list("name", flat=True))
    created = Channel.objects.bulk_create([
        Channel(organisation=organisation, name=_(name), kind=kind, position=i, is_builtin=True)
        for i, (name, kind) in enumerate(BUILTIN_CHANNELS) if _(name) not in existing
    ])
    activity_bulk_record([
        Activity(organisation_id=organisation.pk, actor=actor if actor is not None and actor.is_authenticated else None,
                 verb=Verb.CREATED, target_type=channel._meta.label_lower, target_id=channel.pk,
                 target_repr=channel.name[:200], version=channel.version,
                 changes={name: [None, value] for name, value in snapshot(channel).items() if value not in (None, "")})
        for channel in created
    ])


@atomic_write
def channel_create(*, organisation, actor, name: str, kind: str, external_source: str = "",
                   external_id: str = "") -> Channel:
    require_manager(actor, organisation)
    position = (organisation.channels.aggregate(m=Max("position"))["m"] or 0) + 1
    return tracked_create(Channel(organisation=organisation, name=name.strip(), kind=kind, position=position,
                                  external_source=external_source, external_id=external_id), actor=actor)


def channel_update(*, channel: Channel, actor, version: int | None = None, **changes) -> Channel:
    require_manager(actor, channel.organisation)
    return tracked_update(channel, actor=actor, changes=changes, version=version)


def channel_delete(*, channel: Channel, actor, version: int | None = None) -> None:
    """Delete the channel only if it is still at `version` (one statement); StaleVersion otherwise."""
    require_manager(actor, channel.organisation)
    try:
        tracked_delete(channel, actor=actor, version=version)
    except ProtectedError as error:
        raise ValidationError(_("Touchpoints still use this channel (%d): move them to another channel first.")
                              % len(error.protected_objects)) from error


# Personas and stakeholders -------------------------------------------------------------------------------------


@atomic_write
def persona_create(*, plan: Plan, actor, preferred_channels=(), **fields) -> Persona:
    require_plan_access(actor, plan)
    for channel in preferred_channels:
        _check_same_plan(plan, preferred_channels=channel)
    return tracked_create(Persona(plan=plan, **fields), actor=actor,
                          m2m={"preferred_channels": list(preferred_channels)})


def persona_update(*, persona: Persona, actor, version: int | None = None, **changes) -> Persona:
    require_plan_access(actor, persona.plan)
    for channel in changes.get("preferred_channels", ()):
        _check_same_plan(persona.plan, preferred_channels=channel)
    stored = _store_upload(persona, "photo", changes)
    try:
        return tracked_update(persona, actor=actor, changes=changes, version=version)
    except Exception:
        if stored:
            persona.photo.storage.delete(stored)  # the write was refused: do not keep the orphan file
        raise


def _store_upload(instance, name: str, changes: dict) -> str | None:
    """Store a newly uploaded file and put its stored name in `changes`.

    The versioned write is an UPDATE statement, which writes a file field's name but (unlike save()) never stores
    the file itself.
    """
    upload = changes.get(name)
    if not isinstance(upload, File) or isinstance(upload, FieldFile):
        return None
    field = instance._meta.get_field(name)
    stored = field.storage.save(field.generate_filename(instance, upload.name), upload, max_length=field.max_length)
    changes[name] = stored
    return stored


def persona_delete(*, persona: Persona, actor, version: int | None = None) -> None:
    require_plan_access(actor, persona.plan)
    tracked_delete(persona, actor=actor, version=version)


@atomic_write
def persona_copy(*, persona: Persona, plan: Plan, actor) -> Persona:
    """Copy a persona into another plan of the same organisation."""
    require_plan_access(actor, persona.plan, Access.VIEW)
    require_plan_access(actor, plan)
    if persona.plan.organisation_id != plan.organisation_id:
        raise ValidationError({"plan": _("Personas can only be copied between plans of the same organisation.")})
    fields = {f.name: getattr(persona, f.name) for f in Persona._meta.concrete_fields
              if f.name not in {"id", "plan", "version", "created_at", "updated_at"}}
    return persona_create(plan=plan, actor=actor, preferred_channels=list(persona.preferred_channels.all()), **fields)


@atomic_write
def stakeholder_create(*, plan: Plan, actor, **fields) -> Stakeholder:
    require_plan_access(actor, plan)
    _check_same_plan(plan, team=fields.get("team"))
    return tracked_create(Stakeholder(plan=plan, **fields), actor=actor)


def stakeholder_update(*, stakeholder: Stakeholder, actor, version: int | None = None, **changes) -> Stakeholder:
    require_plan_access(actor, stakeholder.plan)
    _check_same_plan(stakeholder.plan, team=changes.get("team"))
    return tracked_update(stakeholder, actor=actor, changes=changes, version=version)


def stakeholder_delete(*, stakeholder: Stakeholder, actor, version: int | None = None) -> None:
    require_plan_access(actor, stakeholder.plan)
    tracked_delete(stakeholder, actor=actor, version=version)


# Journeys and stages -------------------------------------------------------------------------------------------


def _template_stages(plan: Plan, template) -> list[str]:
    if template is None or template == "":
        return []
    if isinstance(template, list | tuple):
        return [str(name).strip() for name in template if str(name).strip()]
    if isinstance(template, StageTemplate):
        _check_same_plan(plan, template=template)
        return list(template.stages)
    if template in BUILTIN_STAGE_TEMPLATES:
        return [_(name) for name in BUILTIN_STAGE_TEMPLATES[template][1]]
    raise ValidationError({"template": _("Unknown stage template.")})


@atomic_write
def journey_create(*, plan: Plan, actor, name: str, persona=None, description="", template=None,
                   external_source: str = "", external_id: str = "", state: str = "current",
                   based_on: Journey | None = None) -> Journey:
    """A journey with its stages from a built-in template key, an organisation template, or a list of names."""
    require_plan_access(actor, plan)
    _check_same_plan(plan, persona=persona, based_on=based_on)
    journey = tracked_create(Journey(plan=plan, persona=persona, name=name.strip(), description=description,
                                     state=state, based_on=based_on, external_source=external_source,
                                     external_id=external_id), actor=actor)
    for position, stage_name in enumerate(_template_stages(plan, template)):
        tracked_create(Stage(plan=plan, journey=journey, name=stage_name, position=position), actor=actor)
    return journey


def journey_update(*, journey: Journey, actor, version: int | None = None, **changes) -> Journey:
    require_plan_access(actor, journey.plan)
    _check_same_plan(journey.plan, persona=changes.get("persona"))
    return tracked_update(journey, actor=actor, changes=changes, version=version)


def journey_delete(*, journey: Journey, actor, version: int | None = None) -> None:
    require_plan_access(actor, journey.plan)
    tracked_delete(journey, actor=actor, version=version)


@atomic_write
def stage_create(*, journey: Journey, actor, name: str, position: int | None = None,
                 external_source: str = "", external_id: str = "") -> Stage:
    require_plan_access(actor, journey.plan)
    last = journey.stages.aggregate(m=Max("position"))["m"]
    end = 0 if last is None else last + 1
    stage = Stage(plan_id=journey.plan_id, journey=journey, name=name.strip(), position=end,
                  external_source=external_source, external_id=external_id)
    tracked_create(stage, actor=actor)
    if position is not None and position < end:
        stage_move(stage=stage, actor=actor, position=position)
    return stage


def stage_update(*, stage: Stage, actor, version: int | None = None, **changes) -> Stage:
    require_plan_access(actor, stage.journey.plan)
    if "position" in changes:
        position = changes.pop("position")
        stage = stage_move(stage=stage, actor=actor, position=position, version=version)
        version = None
    # With If-Match, even a PATCH of nothing is checked (a stale one is refused), as for every other resource.
    return tracked_update(stage, actor=actor, changes=changes, version=version) if changes or version else stage


@atomic_write
def stage_move(*, stage: Stage, actor, position: int, version: int | None = None) -> Stage:
    """Put a stage at `position` (0-based) and renumber its siblings to keep positions contiguous."""
    require_plan_access(actor, stage.journey.plan)
    siblings = [s for s in Stage.objects.select_for_update().filter(journey_id=stage.journey_id) if s.pk != stage.pk]
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, stage)
    for index, sibling in enumerate(siblings):
        moved = sibling.pk == stage.pk
        # With a version, the moved stage is written even if it stays put, so a stale version is always refused.
        if sibling.position != index or (moved and version is not None):
            tracked_update(sibling, actor=actor, changes={"position": index}, version=version if moved else None)
    stage.refresh_from_db()
    return stage


def stage_delete(*, stage: Stage, actor, version: int | None = None) -> None:
    """Delete a stage and its touchpoints (the page asks for confirmation first)."""
    require_plan_access(actor, stage.journey.plan)
    tracked_delete(stage, actor=actor, version=version)


@atomic_write
def stage_template_save(*, journey: Journey, actor, name: str) -> StageTemplate:
    """Save a journey's stage names as an organisation template (replacing one of the same name)."""
    require_plan_access(actor, journey.plan)
    template, _created = StageTemplate.objects.update_or_create(
        organisation_id=journey.plan.organisation_id, name=name.strip(),
        defaults={"stages": list(journey.stages.order_by("position").values_list("name", flat=True))},
    )
    return template


# Touchpoints ---------------------------------------------------------------------------------------------------


def _cell_end(stage: Stage, channel: Channel) -> float:
    last = _cell_last(stage, channel)
    return 1.0 if last is None else last + 1.0


def _cell_last(stage: Stage, channel: Channel) -> float | None:
    lasts = _cell_lasts()
    key = (stage.pk, channel.pk)
    if lasts is not None and key in lasts:
        return lasts[key]
    last = Touchpoint.objects.filter(stage=stage, channel=channel).aggregate(m=Max("position"))["m"]
    if lasts is not None:
        lasts[key] = last
    return last


def _cell_lasts() -> dict | None:
    """Within a tracked batch, the last position of each cell (stage id, channel id) the batch wrote cards in,
    read once and then kept up to date by the batch's own writes instead of asked per card."""
    memo = batch_memo()
    return None if memo is None else memo.setdefault("touchpoint_cell_lasts", {})


@atomic_write
def touchpoint_create(*, stage: Stage, channel: Channel, actor, name: str, **fields) -> Touchpoint:
    plan = stage.journey.plan
    require_plan_access(actor, plan)
    _check_same_plan(plan, channel=channel, team=fields.get("team"))
    last = _cell_last(stage, channel)
    fields.setdefault("position", 1.0 if last is None else last + 1.0)
    touchpoint = Touchpoint(plan=plan, journey=stage.journey, stage=stage, channel=channel, name=name.strip(),
                            **fields)
    tracked_create(touchpoint, actor=actor)
    lasts = _cell_lasts()
    if lasts is not None:
        lasts[(stage.pk, channel.pk)] = touchpoint.position if last is None else max(last, touchpoint.position)
    return touchpoint


def touchpoint_update(*, touchpoint: Touchpoint, actor, version: int | None = None, **changes) -> Touchpoint:
    plan = touchpoint.journey.plan
    require_plan_access(actor, plan)
    _check_same_plan(plan, channel=changes.get("channel"), team=changes.get("team"))
    stage = changes.get("stage")
    if stage is not None and stage.journey_id != touchpoint.journey_id:
        raise ValidationError({"stage": _("The stage must belong to the touchpoint's journey.")})
    lasts = _cell_lasts()
    if lasts and {"stage", "channel", "position"} & set(changes):  # the card may leave a cell or enter one:
        lasts.pop((touchpoint.stage_id, touchpoint.channel_id), None)  # ask the database again for both
        lasts.pop((getattr(stage, "pk", touchpoint.stage_id),
                   getattr(changes.get("channel"), "pk", touchpoint.channel_id)), None)
    return tracked_update(touchpoint, actor=actor, changes=changes, version=version)


def touchpoint_move(*, touchpoint: Touchpoint, actor, stage: Stage, channel: Channel, before: Touchpoint | None = None,
                    version: int | None = None) -> Touchpoint:
    """Move a card to a cell, just before `before` (or at the end). Only the moved card is written."""
    cell = Touchpoint.objects.filter(stage=stage, channel=channel).exclude(pk=touchpoint.pk).order_by("position")
    if before is None:
        position = _cell_end(stage, channel)
    else:
        if before.stage_id != stage.pk or before.channel_id != channel.pk:
            raise ValidationError({"before": _("The card to insert before is not in that cell.")})
        previous = cell.filter(position__lt=before.position).order_by("-position").values_list("position", flat=True)
        low = previous.first()
        position = (before.position - 1.0) if low is None else (low + before.position) / 2
    return touchpoint_update(touchpoint=touchpoint, actor=actor, version=version, stage=stage, channel=channel,
                             position=position)


def touchpoint_delete(*, touchpoint: Touchpoint, actor, version: int | None = None) -> None:
    require_plan_access(actor, touchpoint.journey.plan)
    (_cell_lasts() or {}).pop((touchpoint.stage_id, touchpoint.channel_id), None)
    tracked_delete(touchpoint, actor=actor, version=version)
