import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.versioning import StaleVersion
from planning import services
from planning.models import Channel, Stage, Touchpoint
from tenancy import services as tenancy_services
from tenancy.models import Activity, Verb


@pytest.fixture
def journey(plan, people):
    persona = services.persona_create(plan=plan, actor=people["editor"], name="Léa")
    return services.journey_create(plan=plan, actor=people["editor"], name="Buying boots", persona=persona,
                                   template="purchase")


@pytest.fixture
def channels(org):
    services.channels_seed(org)
    return {c.name: c for c in org.channels.all()}


def test_new_organisations_get_the_standard_channel_catalogue(org, people):
    organisation = tenancy_services.organisation_create(user=people["owner"], name="Fresh")
    names = dict(organisation.channels.values_list("name", "kind"))
    assert len(names) == 16
    assert names["Website"] == "online" and names["Physical store"] == "offline" and names["Checkout"] == "offline"


def test_channels_are_named_in_the_creators_language(people):
    from django.utils import translation

    with translation.override("fr"):
        organisation = tenancy_services.organisation_create(user=people["owner"], name="Boutique")
    assert organisation.channels.filter(name="Magasin physique").exists()


def test_a_journey_starts_from_a_template(journey):
    assert list(journey.stages.values_list("name", flat=True)) == ["Discovery", "Research", "Conversion",
                                                                     "After-sales"]


def test_custom_stages_and_saved_templates(plan, people, journey):
    services.stage_create(journey=journey, actor=people["editor"], name="Loyalty")
    template = services.stage_template_save(journey=journey, actor=people["editor"], name="Our five stages")
    assert template.stages[-1] == "Loyalty" and len(template.stages) == 5
    other = services.journey_create(plan=plan, actor=people["editor"], name="Other", template=template)
    assert list(other.stages.values_list("name", flat=True)) == template.stages
    custom = services.journey_create(plan=plan, actor=people["editor"], name="Custom", template=["A", " ", "B"])
    assert list(custom.stages.values_list("name", flat=True)) == ["A", "B"]


def test_moving_a_stage_keeps_positions_contiguous(journey, people):
    stages = list(journey.stages.order_by("position"))
    services.stage_move(stage=stages[3], actor=people["editor"], position=0)
    names = list(Stage.objects.filter(journey=journey).order_by("position").values_list("name", "position"))
    assert names == [("After-sales", 0), ("Discovery", 1), ("Research", 2), ("Conversion", 3)]


def test_touchpoints_are_ordered_in_their_cell_and_move_between_cells(journey, channels, people):
    editor = people["editor"]
    discovery, research = journey.stages.order_by("position")[:2]
    web = channels["Website"]
    a = services.touchpoint_create(stage=discovery, channel=web, actor=editor, name="A")
    b = services.touchpoint_create(stage=discovery, channel=web, actor=editor, name="B")
    c = services.touchpoint_create(stage=research, channel=web, actor=editor, name="C")
    services.touchpoint_move(touchpoint=c, actor=editor, stage=discovery, channel=web, before=b)
    order = list(Touchpoint.objects.filter(stage=discovery, channel=web).order_by("position").values_list("name",
                                                                                                         flat=True))
    assert order == ["A", "C", "B"]
    a.refresh_from_db()
    services.touchpoint_move(touchpoint=a, actor=editor, stage=research, channel=channels["Physical store"])
    a.refresh_from_db()
    assert a.stage == research and a.channel.name == "Physical store" and a.version == 2


def test_a_touchpoint_cannot_use_another_organisations_channel(journey, people):
    foreign = Channel.objects.filter(organisation=people["other_org"]).first()
    if foreign is None:
        foreign = Channel.objects.create(organisation=people["other_org"], name="Theirs", kind="online")
    with pytest.raises(ValidationError) as error:
        services.touchpoint_create(stage=journey.stages.first(), channel=foreign, actor=people["editor"], name="X")
    assert "channel" in error.value.message_dict


def test_a_touchpoint_cannot_move_to_another_journeys_stage(plan, journey, channels, people):
    other = services.journey_create(plan=plan, actor=people["editor"], name="Other", template="lifecycle")
    touchpoint = services.touchpoint_create(stage=journey.stages.first(), channel=channels["Blog"],
                                            actor=people["editor"], name="Read")
    with pytest.raises(ValidationError) as error:
        services.touchpoint_update(touchpoint=touchpoint, actor=people["editor"], stage=other.stages.first())
    assert "stage" in error.value.message_dict


def test_viewers_cannot_write(journey, channels, people):
    with pytest.raises(PermissionDenied):
        services.touchpoint_create(stage=journey.stages.first(), channel=channels["Blog"], actor=people["viewer"],
                                   name="Nope")


def test_history_records_field_changes_and_refused_stale_writes(journey, channels, people):
    editor, admin = people["editor"], people["admin"]
    touchpoint = services.touchpoint_create(stage=journey.stages.first(), channel=channels["Blog"], actor=editor,
                                            name="Read the guide")
    stale_copy = Touchpoint.objects.get(pk=touchpoint.pk)
    services.touchpoint_update(touchpoint=touchpoint, actor=admin, name="Read the fitting guide")
    with pytest.raises(StaleVersion) as stale:
        services.touchpoint_update(touchpoint=stale_copy, actor=editor, name="Editor's name")
    assert stale.value.current.name == "Read the fitting guide"
    history = list(Activity.objects.filter(target_type="planning.touchpoint", target_id=touchpoint.pk)
                   .order_by("id").values_list("verb", "actor__username", "changes"))
    assert [h[0] for h in history] == [Verb.CREATED, Verb.UPDATED, Verb.REFUSED]
    assert history[1][2] == {"name": ["Read the guide", "Read the fitting guide"]}
    assert history[2][1] == "eddie" and history[2][2] == {"name": ["Read the fitting guide", "Editor's name"]}
    assert Touchpoint.objects.get(pk=touchpoint.pk).name == "Read the fitting guide"


def test_deleting_is_recorded_and_refused_when_stale(journey, channels, people):
    touchpoint = services.touchpoint_create(stage=journey.stages.first(), channel=channels["Blog"],
                                            actor=people["editor"], name="Gone soon")
    with pytest.raises(StaleVersion):
        services.touchpoint_delete(touchpoint=touchpoint, actor=people["editor"], version=7)
    services.touchpoint_delete(touchpoint=touchpoint, actor=people["editor"], version=1)
    deletion = Activity.objects.get(target_type="planning.touchpoint", target_id=touchpoint.pk, verb=Verb.DELETED)
    assert deletion.changes["name"] == ["Gone soon", None] and deletion.plan_id == journey.plan_id


def test_persona_copy_stays_inside_the_organisation(plan, other_plan, people, channels):
    persona = services.persona_create(plan=plan, actor=people["editor"], name="Léa", quote="Hi",
                                      preferred_channels=[channels["Website"]])
    second = tenancy_services.plan_create(organisation=plan.organisation, actor=people["owner"], name="Second plan")
    copy = services.persona_copy(persona=persona, plan=second, actor=people["owner"])
    assert copy.plan == second and copy.quote == "Hi" and list(copy.preferred_channels.all()) == [channels["Website"]]
    with pytest.raises((ValidationError, PermissionDenied)):
        services.persona_copy(persona=persona, plan=other_plan, actor=people["outsider"])


def test_a_used_channel_cannot_be_deleted(journey, channels, people):
    services.touchpoint_create(stage=journey.stages.first(), channel=channels["Blog"], actor=people["editor"],
                               name="Uses the blog")
    with pytest.raises(ValidationError, match="Touchpoints still use"):
        services.channel_delete(channel=channels["Blog"], actor=people["owner"])
    services.channel_delete(channel=channels["Voice assistant"], actor=people["owner"])
    assert not Channel.objects.filter(pk=channels["Voice assistant"].pk).exists()
