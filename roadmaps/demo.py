"""The demo plan's roadmap for seed_demo: the eight typical projects of the domain brief, tied to touchpoints, teams,
stakeholder objectives and audit gaps, with every method's scoring inputs so any method can be tried.

Idempotent: nothing happens if the plan already has roadmap items. Links whose target is missing are skipped.
"""

from datetime import date
from decimal import Decimal

from assessments.models import AuditItem
from experience.models import Opportunity
from planning.models import Touchpoint
from roadmaps import services
from roadmaps.models import RoadmapItem

# Each item: fields, then links by name (teams, touchpoints, stakeholders, audit items, earlier items' titles).
ITEMS = [
    {
        "title": "CRM with one customer id across store and web",
        "category": "crm", "owner": "admin", "horizon": "now", "status": "in_progress", "quarter": "2027-Q1",
        "start_date": date(2027, 1, 11), "end_date": date(2027, 6, 30),
        "description": "Offline data and omnichannel journey automation: agents and advisors see the same customer.",
        "scores": dict(value=9, effort=7, reach=240000, impact=Decimal("2"), confidence=80, business_value=21,
                       time_criticality=13, risk_reduction=13, job_size=13),
        "teams": ["IT", "Customer service", "Sales", "Stores"],
        "touchpoints": ["Calls to ask about sizes", "Advisor records his preferences", "Calls about missing points",
                        "Reports a defect"],
        "objectives": ["Claire Dubois", "Arthur Lemaire"],
        "audit_gaps": ["One customer id across store and web"],
        "opportunities": ["One customer history for agents and advisors",
                          "One loyalty balance across store, web and app"],
        "manual_rank": 1,
        "manual_rank_reason": "Everything else needs the one customer id: the steering committee put it first.",
    },
    {
        "title": "Real-time stock and customer API",
        "category": "api", "owner": "admin", "horizon": "now", "status": "planned", "quarter": "2027-Q2",
        "start_date": date(2027, 2, 1), "end_date": date(2027, 5, 31),
        "description": "Real-time data flow between store systems, the website and the apps.",
        "scores": dict(value=8, effort=5, reach=180000, impact=Decimal("2"), confidence=80, business_value=13,
                       time_criticality=13, risk_reduction=8, job_size=8),
        "teams": ["IT", "E-commerce", "Stores"],
        "touchpoints": ["Checks stock in her store", "Orders a missing size at the kiosk"],
        "opportunities": ["Real-time stock by store on every product page"],
        "objectives": ["Arthur Lemaire"],
        "audit_gaps": ["Real-time store stock for every product page"],
    },
    {
        "title": "DMP for online data and media",
        "category": "dmp", "owner": "owner", "horizon": "next", "status": "planned", "quarter": "2027-Q3",
        "start_date": date(2027, 7, 1), "end_date": date(2027, 11, 30),
        "description": "Online audiences and media: target ads and emails from what customers browse and buy.",
        "scores": dict(value=7, effort=6, reach=400000, impact=Decimal("1"), confidence=50, business_value=8,
                       time_criticality=5, risk_reduction=3, job_size=8),
        "teams": ["Marketing", "IT", "E-commerce"],
        "touchpoints": ["Clicks a social ad for waterproof boots", "Sees a video ad for the new shoe",
                        "Opens the newsletter"],
        "objectives": ["Marc Lefèvre"],
        "dependencies": ["CRM with one customer id across store and web"],
    },
    {
        "title": "One loyalty programme across channels",
        "category": "offer_loyalty", "owner": "editor", "horizon": "next", "status": "idea", "quarter": "2027-Q3",
        "description": "The same offers, points and vouchers online, in store and on the phone.",
        "scores": dict(value=8, effort=4, reach=150000, impact=Decimal("2"), confidence=80, business_value=13,
                       time_criticality=8, risk_reduction=5, job_size=5),
        "teams": ["Marketing", "Stores", "E-commerce", "Customer service"],
        "touchpoints": ["Pays in store with loyalty card", "Gets a birthday voucher", "Calls about missing points",
                        "Receives the welcome series"],
        "objectives": ["Marc Lefèvre", "Claire Dubois"],
        "audit_gaps": ["Welcome series for new loyalty members"],
        "dependencies": ["CRM with one customer id across store and web"],
    },
    {
        "title": "Clienteling app for store advisors",
        "category": "internal_app", "owner": "viewer", "horizon": "next", "status": "idea", "quarter": "2027-Q4",
        "start_date": date(2027, 7, 1), "end_date": date(2027, 10, 31),
        "description": "Advisors see the customer's history and preferences, and recommend in store.",
        "scores": dict(value=7, effort=5, reach=60000, impact=Decimal("2"), confidence=80, business_value=8,
                       time_criticality=5, risk_reduction=3, job_size=5),
        "teams": ["Sales", "Stores", "IT"],
        "touchpoints": ["Tries the boots on", "Advisor offers the loyalty card", "Advisor records his preferences"],
        "objectives": ["Sofia Rossi"],
        "dependencies": ["CRM with one customer id across store and web", "Real-time stock and customer API"],
    },
    {
        "title": "Customer reviews on product pages and in store",
        "category": "reviews", "owner": "editor", "horizon": "now", "status": "in_progress", "quarter": "2027-Q1",
        "start_date": date(2027, 3, 1), "end_date": date(2027, 4, 30),
        "description": "Collect and show reviews everywhere the customer decides.",
        "scores": dict(value=5, effort=2, reach=300000, impact=Decimal("0.5"), confidence=100, business_value=5,
                       time_criticality=8, risk_reduction=2, job_size=2),
        "teams": ["E-commerce", "Marketing"],
        "touchpoints": ["Reads a hiking community thread", "Rates the product"],
    },
    {
        "title": "Customer app: notifications and loyalty wallet",
        "category": "customer_app", "owner": "owner", "horizon": "later", "status": "idea", "quarter": "2028-Q1",
        "description": "Notifications, wish lists, the loyalty card and personalised trail ideas in one app.",
        "scores": dict(value=6, effort=8, reach=90000, impact=Decimal("1"), confidence=50, business_value=8,
                       time_criticality=3, risk_reduction=2, job_size=13),
        "teams": ["E-commerce", "IT", "Marketing"],
        "touchpoints": ["Saves boots to a wish list", "Tracks points in the app", "Rates the product"],
        "audit_gaps": ["Personalised trail recommendations"],
        "dependencies": ["Real-time stock and customer API", "One loyalty programme across channels"],
    },
    {
        "title": "Data lake and recommendation models",
        "category": "data_lake", "owner": "admin", "horizon": "later", "status": "idea",
        "description": "Own the data and build our own algorithms, such as the AI product recommendations.",
        "scores": dict(value=6, effort=9, reach=200000, impact=Decimal("1"), confidence=50, business_value=8,
                       time_criticality=2, risk_reduction=5, job_size=21),
        "teams": ["IT", "Marketing", "Sales"],
        "objectives": ["Sofia Rossi", "Arthur Lemaire"],
        "dependencies": ["CRM with one customer id across store and web", "DMP for online data and media"],
    },
]


def seed(plan, teams: dict, users: dict) -> list[RoadmapItem]:
    """Create the demo roadmap in `plan` unless it has items. `teams` and `users` are keyed by name/username."""
    if RoadmapItem.objects.filter(plan=plan).exists():
        return []

    touchpoints = {t.name: t for t in Touchpoint.objects.filter(plan=plan)}
    stakeholders = {s.name: s for s in plan.stakeholders.all()}
    audits = {a.title: a for a in AuditItem.objects.filter(plan=plan)}
    opportunities = {o.title: o for o in Opportunity.objects.filter(plan=plan)}
    created: dict[str, RoadmapItem] = {}
    for spec in ITEMS:
        fields = {k: v for k, v in spec.items() if k not in {"scores", "teams", "touchpoints", "objectives",
                                                             "audit_gaps", "dependencies", "owner",
                                                             "opportunities"}}
        created[spec["title"]] = services.roadmap_item_create(
            plan=plan, actor=None, **fields, **spec["scores"], owner=users.get(spec["owner"]),
            teams=_pick(teams, spec.get("teams")), touchpoints=_pick(touchpoints, spec.get("touchpoints")),
            objectives=_pick(stakeholders, spec.get("objectives")), audit_gaps=_pick(audits, spec.get("audit_gaps")),
            dependencies=_pick(created, spec.get("dependencies")),
            opportunities=_pick(opportunities, spec.get("opportunities")))
    return list(created.values())


def _pick(found: dict, names) -> list:
    return [found[name] for name in names or () if name in found]
