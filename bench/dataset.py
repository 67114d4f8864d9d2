"""The benchmark data set, built deterministically with bulk inserts (`manage.py bench_dataset`).

Per organisation ("Bench org 01"…): 4 teams, the built-in channels, one member (editor role, in the first team,
which holds edit access to every plan of the organisation), and the plan "Bench plan" with 50 personas, 20 journeys
(stages from the two built-in templates), 500 touchpoints, every team's evaluation of every touchpoint (unique per
team and touchpoint), data-capture items and agreements on some, 20,000 feedback responses and 300 roadmap items.
The first organisation also holds the two other sizes the suite compares with: "Bench small plan" (a tenth of the
main plan) and "Bench map plan" (one journey of 500 touchpoints, for the journey map page).

Rows are valid as the services would write them (version 1, same plan and organisation for every link, scores
on their scales) but inserted with bulk_create, so ten organisations take seconds, not hours. The same seed gives
the same rows. Building again first drops every organisation named with the prefix, and the bench users.
"""

import hashlib
import json
import random
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import translation

from assessments import rollups
from assessments.models import SCALES, DataCaptureItem, FeedbackResponse, TouchpointAgreement, TouchpointEvaluation
from planning.models import Channel, Journey, Persona, Stage, Stakeholder, Touchpoint
from planning.services.journeys import BUILTIN_STAGE_TEMPLATES, channels_seed
from roadmaps.models import Category, Horizon, ItemStatus, RoadmapItem
from tenancy.access import Access
from tenancy.models import Membership, Organisation, Plan, Role, Team
from tenancy.services import plan_grant

ORG_PREFIX = "Bench org "
USER_PREFIX = "bench-"
MAIN_PLAN, SMALL_PLAN, MAP_PLAN = "Bench plan", "Bench small plan", "Bench map plan"
TEAMS = [("Customer service", "customer_service"), ("Marketing", "marketing"), ("Sales", "sales"), ("IT", "it"),
         ("Product", "product"), ("E-commerce", "ecommerce"), ("Stores", "stores")]
FIRST_DAY = date(2026, 1, 1)  # responses fall in the year from here: fixed, so two builds give the same rows
BATCH = 2000


@dataclass(frozen=True)
class Spec:
    """How big: organisations, and per organisation's main plan."""

    organisations: int = 10
    personas: int = 50
    journeys: int = 20
    touchpoints: int = 500
    responses: int = 20_000
    roadmap_items: int = 300
    teams: int = 4
    map_touchpoints: int = 500
    seed: int = 8

    def scaled(self, scale: float) -> "Spec":
        """Every per-plan count times `scale` (at least one of each)."""
        def size(n):
            return max(1, round(n * scale))

        return replace(self, personas=size(self.personas), journeys=size(self.journeys),
                       touchpoints=max(size(self.touchpoints), size(self.journeys)),
                       responses=size(self.responses), roadmap_items=size(self.roadmap_items),
                       map_touchpoints=size(self.map_touchpoints))

    @property
    def key(self) -> str:
        return hashlib.sha1(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:10]


CI_SPEC = Spec(organisations=1, personas=5, journeys=2, touchpoints=50, responses=400, roadmap_items=30,
               map_touchpoints=50)

ACTIONS = ["Clicks an online ad", "Reads a targeted email", "Buys on the website", "Returns an item in store",
           "Calls a service agent", "Downloads a white paper", "Redeems a coupon", "Books a fitting",
           "Checks stock in store", "Tracks a delivery", "Asks a question on social networks", "Leaves a review"]
RESPONSES = ["Sends a confirmation", "Routes to an advisor", "Updates the CRM", "Offers a coupon",
             "Answers within the hour", "Shows stock in real time", ""]
VERBATIMS = ["Quick and easy.", "Too many steps to pay.", "The advisor knew my order.", "Stock was wrong online.",
             "Great app, but slow.", "Délai de livraison trop long.", "Conseiller très aimable.",
             "I had to repeat my details twice.", "Perfect fit, thanks!", "Le site plante au paiement."]
SOURCES = ["Post-purchase survey", "In-store kiosk", "App rating", "Call centre survey"]
ITEM_WORDS = ["Real-time stock API", "Unified customer id", "Clienteling app", "Loyalty points everywhere",
              "Reviews on product pages", "DMP for online ads", "Click and collect", "Kiosk refresh",
              "Returns portal", "Chat on the website"]


def existing(spec: Spec) -> dict | None:
    """The description of a data set built with this spec, if one is there."""

    orgs = list(Organisation.objects.filter(name__startswith=ORG_PREFIX, slug=f"bench-{spec.key}").order_by("name"))
    if len(orgs) != spec.organisations:
        return None
    return describe(spec)


def drop() -> None:
    """Delete the bench organisations (largest tables first, so each delete is one statement) and users."""

    orgs = Organisation.objects.filter(name__startswith=ORG_PREFIX)
    plans = {"plan__organisation__in": orgs}
    with transaction.atomic():
        for model in (FeedbackResponse, DataCaptureItem, TouchpointAgreement, TouchpointEvaluation):
            model.objects.filter(**plans).delete()
        for through in (RoadmapItem.touchpoints.through, RoadmapItem.teams.through,
                        RoadmapItem.dependencies.through):
            field = "roadmapitem" if through is not RoadmapItem.dependencies.through else "from_roadmapitem"
            through.objects.filter(**{f"{field}__plan__organisation__in": orgs}).delete()
        RoadmapItem.objects.filter(**plans).delete()
        Touchpoint.objects.filter(**plans).delete()
        group_ids = list(Group.objects.filter(team__organisation__in=orgs).values_list("pk", flat=True))
        for organisation in orgs:
            organisation.delete()
        Group.objects.filter(pk__in=group_ids).delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()


def build(spec: Spec = Spec(), *, log=print) -> dict:
    """Drop and build the data set; returns describe(spec)."""
    drop()
    with translation.override("en"):
        for index in range(1, spec.organisations + 1):
            with transaction.atomic():
                _organisation(spec, index, random.Random(spec.seed * 1000 + index))
            log(f"  organisation {index}/{spec.organisations} built")
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum would have them on a live database; without them PostgreSQL guesses.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return describe(spec)


def describe(spec: Spec) -> dict:
    """Ids the cases need: per organisation its member and plans; the small and map plans of the first."""

    orgs = []
    # This spec's organisations only: the growth cases' organisations (bench-pdf-growth) hold no main plan.
    for organisation in (Organisation.objects.filter(name__startswith=ORG_PREFIX, slug=f"bench-{spec.key}")
                         .order_by("name")):
        plans = {p.name: p.pk for p in Plan.objects.filter(organisation=organisation)}
        orgs.append({"id": organisation.pk, "name": organisation.name, "plan": plans[MAIN_PLAN],
                     "member": f"{USER_PREFIX}member-{organisation.name[-2:]}",
                     "small_plan": plans.get(SMALL_PLAN), "map_plan": plans.get(MAP_PLAN)})
    first = orgs[0]
    small_journey = Journey.objects.filter(plan_id=first["plan"]).order_by("name", "id").first()
    map_journey = Journey.objects.filter(plan_id=first["map_plan"]).first()
    return {"spec": asdict(spec), "key": spec.key, "organisations": orgs, "small_journey": small_journey.pk,
            "map_journey": map_journey.pk}


# Building --------------------------------------------------------------------------------------------------------


def _organisation(spec: Spec, index: int, rng: random.Random) -> None:

    organisation = Organisation.objects.create(name=f"{ORG_PREFIX}{index:02d}", slug=f"bench-{spec.key}")
    channels_seed(organisation)
    channels = list(Channel.objects.filter(organisation=organisation).order_by("position", "id"))
    member = get_user_model().objects.create_user(username=f"{USER_PREFIX}member-{index:02d}",
                                                  email=f"member-{index:02d}@bench.invalid")
    Membership.objects.create(organisation=organisation, user=member, role=Role.EDITOR)
    teams = []
    for name, department in TEAMS[: spec.teams]:
        group = Group.objects.create(name=f"bench-team-{index:02d}-{department}")
        teams.append(Team.objects.create(organisation=organisation, name=name, department=department, group=group))
    teams[0].group.user_set.add(member)
    plans = [(MAIN_PLAN, spec)]
    if index == 1:
        plans.append((SMALL_PLAN, spec.scaled(0.1)))
    for name, plan_spec in plans:
        plan = Plan.objects.create(organisation=organisation, name=name, status="active", created_by=member)
        plan_grant(plan=plan, actor=None, team=teams[0], access=Access.EDIT)
        _plan(plan, plan_spec, rng, channels, teams, member)
    if index == 1:
        plan = Plan.objects.create(organisation=organisation, name=MAP_PLAN, status="active", created_by=member)
        plan_grant(plan=plan, actor=None, team=teams[0], access=Access.EDIT)
        persona = Persona.objects.create(plan=plan, name="Map persona", goals="Everything, everywhere.")
        persona.preferred_channels.set(channels[:3])
        journeys, stages = _journeys(plan, replace(spec, journeys=1), rng, [persona])
        _touchpoints(plan, spec.map_touchpoints, rng, journeys, stages, channels, teams)


def _plan(plan, spec: Spec, rng, channels, teams, member) -> None:

    personas = Persona.objects.bulk_create([
        Persona(plan=plan, name=f"Persona {n:03d}", description=f"Customer segment {n}: {rng.choice(ACTIONS)}.",
                goals="Find the right product quickly.", frustrations=rng.choice(VERBATIMS),
                quote=rng.choice(VERBATIMS), segment_size=rng.randrange(1_000, 500_000),
                evidence=rng.choice(["assumed", "reported", "observed", "measured"]))
        for n in range(1, spec.personas + 1)
    ], batch_size=BATCH)
    Persona.preferred_channels.through.objects.bulk_create([
        Persona.preferred_channels.through(persona_id=persona.pk, channel_id=channel.pk)
        for persona in personas for channel in rng.sample(channels, 3)
    ], batch_size=BATCH)
    Stakeholder.objects.bulk_create([
        Stakeholder(plan=plan, name=f"Stakeholder {n}", title=f"Head of {team.name}", team=team,
                    objective="A customer-centric data architecture.")
        for n, team in enumerate(teams, start=1)
    ])
    journeys, stages = _journeys(plan, spec, rng, personas)
    touchpoints = _touchpoints(plan, spec.touchpoints, rng, journeys, stages, channels, teams)
    _evaluations(plan, rng, touchpoints, teams, member)
    _feedback(plan, spec.responses, rng, touchpoints)
    _roadmap(plan, spec.roadmap_items, rng, touchpoints, teams, member)


def _journeys(plan, spec: Spec, rng, personas) -> tuple[list, dict]:

    journeys = Journey.objects.bulk_create([
        Journey(plan=plan, name=f"Journey {n:02d}", persona=personas[(n - 1) % len(personas)] if personas else None,
                description="Welcome new customers and follow them up.")
        for n in range(1, spec.journeys + 1)
    ])
    templates = [names for _label, names in BUILTIN_STAGE_TEMPLATES.values()]
    stage_rows = [Stage(plan=plan, journey=journey, name=name, position=position)
                  for n, journey in enumerate(journeys) for position, name in enumerate(templates[n % 2])]
    stages: dict[int, list] = {}
    for stage in Stage.objects.bulk_create(stage_rows, batch_size=BATCH):
        stages.setdefault(stage.journey_id, []).append(stage)
    return journeys, stages


def _touchpoints(plan, count: int, rng, journeys, stages, channels, teams) -> list:

    rows, positions = [], {}
    for n in range(count):
        journey = journeys[n % len(journeys)]
        stage, channel = rng.choice(stages[journey.pk]), rng.choice(channels)
        cell = (journey.pk, stage.pk, channel.pk)
        positions[cell] = positions.get(cell, 0) + 1
        action = rng.choice(ACTIONS)
        rows.append(Touchpoint(plan=plan, journey=journey, stage=stage, channel=channel, name=f"{action} #{n + 1}",
                               customer_action=f"The customer {action.lower()}.",
                               company_response=rng.choice(RESPONSES), team=rng.choice([*teams, None]),
                               position=float(positions[cell]),
                               evidence=rng.choice(["assumed", "reported", "observed", "measured"])))
    return Touchpoint.objects.bulk_create(rows, batch_size=BATCH)


def _evaluations(plan, rng, touchpoints, teams, member) -> None:

    kinds = ["notification", "transactional_email", "reviews", "other"]
    evaluations = TouchpointEvaluation.objects.bulk_create([
        TouchpointEvaluation(plan=plan, touchpoint=touchpoint, team=team, maturity=rng.randint(1, 4),
                             potential_customer=rng.randint(1, 5), potential_brand=rng.randint(1, 5),
                             information_pushed=rng.sample(kinds, rng.randint(0, 2)),
                             feedback_mode=rng.choice(["pushed", "pulled", "none"]),
                             notes=rng.choice(["", "Measured in the CRM.", "Ask the store managers."]),
                             evaluated_by=member if team is teams[0] else None)
        for touchpoint in touchpoints for team in teams
    ], batch_size=BATCH)
    DataCaptureItem.objects.bulk_create([
        DataCaptureItem(plan=plan, evaluation=evaluation, data=rng.choice(["Email", "Basket", "Loyalty id"]),
                        source="Web form", storage=rng.choice(["crm", "dmp", "ecommerce", "spreadsheet", "none"]),
                        completeness=rng.choice(["good", "partial", "poor"]),
                        accessibility=rng.choice(["good", "partial", "poor"]))
        for evaluation in evaluations[::4]
    ], batch_size=BATCH)
    TouchpointAgreement.objects.bulk_create([
        TouchpointAgreement(plan=plan, touchpoint=touchpoint, maturity=rng.randint(1, 4),
                            reason="Agreed in the workshop after discussion.", agreed_by=member)
        for touchpoint in touchpoints[::20]
    ])


def _feedback(plan, count: int, rng, touchpoints) -> None:

    kinds = ["nps", "nps", "ces", "csat"]
    rows = []
    for _n in range(count):
        kind = rng.choice(kinds)
        low, high = SCALES[kind]
        rows.append(FeedbackResponse(plan=plan, touchpoint=rng.choice(touchpoints), kind=kind,
                                     score=rng.randint(low, high),
                                     responded_on=FIRST_DAY + timedelta(days=rng.randrange(365)),
                                     source=rng.choice(SOURCES),
                                     verbatim=rng.choice(VERBATIMS) if rng.random() < 0.3 else ""))
    FeedbackResponse.objects.bulk_create(rows, batch_size=BATCH)
    rollups.rebuild(plan.pk)  # the statistics' cells, as the services would have kept them


def _roadmap(plan, count: int, rng, touchpoints, teams, member) -> None:

    items = RoadmapItem.objects.bulk_create([
        RoadmapItem(plan=plan, title=f"{rng.choice(ITEM_WORDS)} #{n}", category=rng.choice(Category.values),
                    description="Connect the online and offline journeys.", owner=member,
                    horizon=rng.choice(Horizon.values), quarter=f"2027-Q{rng.randint(1, 4)}",
                    status=rng.choice(ItemStatus.values), board_position=float(n), value=rng.randint(1, 10),
                    effort=rng.randint(1, 10), reach=rng.randrange(100, 100_000), confidence=rng.choice([50, 80, 100]))
        for n in range(1, count + 1)
    ], batch_size=BATCH)
    RoadmapItem.touchpoints.through.objects.bulk_create([
        RoadmapItem.touchpoints.through(roadmapitem_id=item.pk, touchpoint_id=touchpoint.pk)
        for item in items for touchpoint in rng.sample(touchpoints, min(3, len(touchpoints)))
    ], batch_size=BATCH)
    RoadmapItem.teams.through.objects.bulk_create([
        RoadmapItem.teams.through(roadmapitem_id=item.pk, team_id=team.pk)
        for item in items for team in rng.sample(teams, 2)
    ], batch_size=BATCH)
    # Dependencies only on earlier items: never a cycle.
    RoadmapItem.dependencies.through.objects.bulk_create([
        RoadmapItem.dependencies.through(from_roadmapitem_id=item.pk, to_roadmapitem_id=items[n - k].pk)
        for n, item in enumerate(items) if n >= 5 and n % 5 == 0 for k in (1, 3)
    ], batch_size=BATCH)
