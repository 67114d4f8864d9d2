"""Load the retailer example of the domain brief (idempotent: running it twice changes nothing)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from assessments import demo as assessments_demo
from experience import demo as experience_demo
from kpis import demo as kpis_demo
from listening import demo as listening_demo
from planning import services
from planning.demo import JOURNEYS, PERSONAS
from planning.models import Stakeholder
from roadmaps import demo as roadmaps_demo
from tenancy import services as tenancy_services
from tenancy.access import Access
from tenancy.models import Department, Membership, Organisation, Role

DEMO_PASSWORD = "journey-demo"
ORGANISATION = "Northern Trail Outfitters"

# username, first name, last name, email, role
USERS = [
    ("owner", "Nora", "Berg", "nora.berg@nto.example", Role.OWNER),
    ("admin", "Arthur", "Lemaire", "arthur.lemaire@nto.example", Role.ADMIN),
    ("editor", "Claire", "Dubois", "claire.dubois@nto.example", Role.EDITOR),
    ("viewer", "Victor", "Martin", "victor.martin@nto.example", Role.VIEWER),
]
TEAMS = [
    ("Customer service", Department.CUSTOMER_SERVICE, ["editor"]),
    ("Marketing", Department.MARKETING, []),
    ("Sales", Department.SALES, ["viewer"]),
    ("IT", Department.IT, ["admin"]),
    ("E-commerce", Department.ECOMMERCE, []),
    ("Stores", Department.STORES, []),
]
STAKEHOLDERS = [
    ("Claire Dubois", "Head of customer service", "Customer service",
     "More productive agents who can also upsell during service calls."),
    ("Marc Lefèvre", "VP of marketing", "Marketing",
     "Online ads that drive traffic and revenue to the e-commerce site."),
    ("Sofia Rossi", "Head of sales", "Sales", "AI product recommendations for customers and sales advisors."),
    ("Arthur Lemaire", "Enterprise architect", "IT",
     "Run the project and build a customer-centric data architecture."),
]
PLAN = "Omnichannel customer journey 2027"
PLAN_DESCRIPTION = (
    "Connect online and in-store journeys for our sporting-goods customers: map the journeys, evaluate each "
    "touchpoint with every team, and agree the transformation roadmap."
)


class Command(BaseCommand):
    help = "Load the demo organisation (Northern Trail Outfitters), its users, teams, stakeholders and plan."

    @transaction.atomic
    def handle(self, *args, **options):
        users = {username: self._user(username, first, last, email) for username, first, last, email, _ in USERS}
        organisation = Organisation.objects.filter(name=ORGANISATION).first()
        if organisation is None:
            organisation = tenancy_services.organisation_create(user=users["owner"], name=ORGANISATION)
        for username, *_rest, role in USERS:
            Membership.objects.update_or_create(organisation=organisation, user=users[username],
                                                defaults={"role": role})
        teams = {}
        for name, department, members in TEAMS:
            team = organisation.teams.filter(name=name).first() or tenancy_services.team_create(
                organisation=organisation, actor=users["owner"], name=name, department=department)
            team.group.user_set.add(*(users[m] for m in members))
            teams[name] = team
        plan = organisation.plans.filter(name=PLAN).first()
        if plan is None:
            plan = tenancy_services.plan_create(organisation=organisation, actor=users["owner"], name=PLAN,
                                        description=PLAN_DESCRIPTION, status="active",
                                        period_start=date(2027, 1, 1), period_end=date(2027, 12, 31))
        tenancy_services.plan_grant(plan=plan, actor=None, team=teams["Customer service"], access=Access.EDIT)
        tenancy_services.plan_grant(plan=plan, actor=None, team=teams["Sales"], access=Access.VIEW)
        for name, title, team, objective in STAKEHOLDERS:
            Stakeholder.objects.update_or_create(plan=plan, name=name, defaults={
                "title": title, "team": teams[team], "objective": objective})
        self._journeys(plan, teams)
        assessments_demo.seed(plan=plan, teams=teams, users=users)
        experience_demo.seed(plan)
        listening_demo.seed(plan=plan)
        roadmaps_demo.seed(plan=plan, teams=teams, users=users)
        kpis_demo.seed(plan=plan, teams=teams)
        self.stdout.write(self.style.SUCCESS(f"Demo organisation “{organisation}” ready with plan “{plan}”."))
        self.stdout.write("Demo logins (password: %s): %s" % (
            DEMO_PASSWORD, ", ".join(f"{u} ({r})" for u, *_x, r in USERS)))
        return None

    def _journeys(self, plan, teams):
        """Two personas with a journey each; skipped if the plan already has personas."""
        if plan.personas.exists():
            return
        with translation.override("en"):
            services.channels_seed(plan.organisation)
        channels = {c.name: c for c in plan.organisation.channels.all()}
        personas = []
        for data in PERSONAS:
            fields = {k: v for k, v in data.items() if k != "channels"}
            personas.append(services.persona_create(plan=plan, actor=None, **fields,
                                                    preferred_channels=[channels[n] for n in data["channels"]]))
        for persona_index, name, template, touchpoints in JOURNEYS:
            with translation.override("en"):
                journey = services.journey_create(plan=plan, actor=None, name=name, persona=personas[persona_index],
                                                  template=template)
            stages = list(journey.stages.order_by("position"))
            for stage_index, channel, title, action, response, team in touchpoints:
                services.touchpoint_create(stage=stages[stage_index], channel=channels[channel], actor=None,
                                           name=title, customer_action=action, company_response=response,
                                           team=teams[team], evidence="observed")

    def _user(self, username, first, last, email):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": email})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user


