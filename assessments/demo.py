"""Demo assessments for seed_demo: four teams' evaluations, feedback with verbatims, maturity and audits.

Deterministic (a seeded random generator) so the demo looks the same on every machine.
"""

import random
from datetime import date, timedelta

from assessments import services, services_themes
from assessments.models import AuditKind, AuditStep, FeedbackKind, MaturityAssessment
from planning.models import Touchpoint

EVALUATING_TEAMS = ["Customer service", "Marketing", "Sales", "IT"]
VERBATIMS = [
    (9, "Super conseil en magasin, le vendeur connaissait vraiment le produit."),
    (10, "Livraison rapide et retour gratuit, parfait."),
    (3, "Le stock affiché sur le site était faux, déplacement pour rien."),
    (5, "J'ai dû répéter mon problème trois fois au service client."),
    (8, "Bonne expérience globale, l'appli pourrait être plus rapide."),
    (2, "Impossible d'utiliser mes points de fidélité en ligne."),
    (9, "Great advice from the store team, I'll come back."),
    (6, "The website comparison tool is confusing."),
    (10, "Loved the running clinic, very friendly staff."),
    (4, "Waited 20 minutes on the phone before anyone answered."),
    (7, "Ok, but the email offers are not relevant to me."),
    (9, "Checkout was quick and the loyalty card worked."),
]
# The demo organisation's themes and their rules (French and English), so the feedback page shows themes.
TAXONOMY = {
    "Service client": {"Temps d'attente": ["attente", "attendu", "waited", "waiting", "before anyone answered"],
                       "Conseil": ["conseil", "vendeur", "advice", "staff", "répéter"]},
    "Offre": {"Fidélité": ["fidélité", "points", "loyalty", "loyalty card"],
              "Promotions": ["offres", "offers", "promotion", "promo"]},
    "Livraison et retours": {"Livraison": ["livraison", "delivery"], "Retours": ["retour", "return"]},
    "Site et appli": {"Stock en ligne": ["stock"], "Ergonomie": ["appli", "website", "site", "checkout"]},
}
# Scores skewed the way real surveys are (more 8–10 than 0–3).
SCORE_WEIGHTS = {
    FeedbackKind.NPS: (range(11), [1, 1, 1, 2, 2, 3, 4, 7, 10, 9, 8]),
    FeedbackKind.CES: (range(1, 8), [6, 8, 7, 5, 3, 2, 1]),
    FeedbackKind.CSAT: (range(1, 6), [1, 2, 4, 8, 6]),
}
AUDIT_ITEMS = [
    (AuditKind.DATA, AuditStep.HAVE, "Purchase history in the e-commerce platform",
     {"sources": "Website orders", "location": "E-commerce back office", "quality": "Good",
      "accessibility": "Export only, weekly", "completeness": "Online orders only"}),
    (AuditKind.DATA, AuditStep.HAVE, "Loyalty card transactions",
     {"sources": "Store tills", "location": "Loyalty provider", "quality": "Partial",
      "accessibility": "Hard: vendor portal", "completeness": "About 60 % of store sales"}),
    (AuditKind.DATA, AuditStep.NEED, "One customer id across store and web",
     {"exists": "No", "owner": "IT", "collect": "Ask for the email at the till; link the loyalty card"}),
    (AuditKind.DATA, AuditStep.WISH, "Real-time store stock for every product page",
     {"why_hard": "Store systems sync overnight", "what_change": "An inventory API between stores and the site"}),
    (AuditKind.CONTENT, AuditStep.HAVE, "Boot-fitting guide",
     {"message": "How to choose hiking boots", "audience": "Hikers", "storage": "Blog CMS",
      "channel_fit": "Good on web, poor on mobile", "on_brand": "Yes", "up_to_date": "2024 edition",
      "reusable": "Yes, for the advisor's app"}),
    (AuditKind.CONTENT, AuditStep.NEED, "Welcome series for new loyalty members",
     {"missing": "Three onboarding emails", "channel": "Email", "improves": "Yes: first repeat purchase"}),
    (AuditKind.CONTENT, AuditStep.WISH, "Personalised trail recommendations",
     {"ideal": "Trails near you with the gear you own", "best_channel": "Mobile app", "memorable": "Yes"}),
]


def seed(*, plan, teams: dict, users: dict) -> None:
    """Fill the demo plan's assessments, unless it already has some."""

    if MaturityAssessment.objects.filter(plan=plan).exists():
        return
    rng = random.Random(2027)
    touchpoints = list(Touchpoint.objects.filter(plan=plan).order_by("id"))
    _evaluations(rng, touchpoints, teams)
    _taxonomy(plan.organisation)
    _feedback(rng, plan, touchpoints)
    assessment = services.maturity_assessment_create(
        plan=plan, actor=None, assessed_on=date(2026, 10, 15), channel_level=1, engagement_level=3,
        target_channel_level=4, target_engagement_level=4,
        notes="Email is our only real channel, but campaigns are already personalised in real time.")
    for username, channel, engagement in [("owner", 1, 3), ("admin", 2, 3), ("editor", 1, 2), ("viewer", 1, 4)]:
        services.maturity_vote_cast(assessment=assessment, actor=users[username], channel_level=channel,
                                    engagement_level=engagement)
    for kind, step, title, answers in AUDIT_ITEMS:
        services.audit_item_create(plan=plan, actor=None, kind=kind, step=step, title=title, answers=answers,
                                   touchpoints=rng.sample(touchpoints, 2))


def _evaluations(rng, touchpoints, teams) -> None:
    for index, touchpoint in enumerate(touchpoints):
        base = 1 + index % 4
        potential_customer, potential_brand = rng.randint(2, 5), rng.randint(2, 5)
        for name in EVALUATING_TEAMS:
            # Teams mostly agree; every seventh touchpoint they do not (the workshop has something to discuss).
            maturity = base if index % 7 else (1 if name in ("Marketing", "Sales") else 4)
            services.evaluation_create(
                touchpoint=touchpoint, team=teams[name], actor=None,
                maturity=max(1, min(4, maturity + rng.choice([0, 0, 0, 1, -1]))),
                potential_customer=min(5, potential_customer + rng.choice([0, 0, 0, 1])),
                potential_brand=max(1, potential_brand - rng.choice([0, 0, 0, 1])),
                information_pushed=rng.sample(["notification", "transactional_email", "reviews"], rng.randint(0, 2)),
                feedback_mode=rng.choice(["pushed", "pulled", "none"]),
            )


def _taxonomy(organisation) -> None:
    if organisation.themes.exists():
        return
    for macro_name, micros in TAXONOMY.items():
        macro = services_themes.theme_create(organisation=organisation, actor=None, name=macro_name)
        for micro_name, phrases in micros.items():
            micro = services_themes.theme_create(organisation=organisation, actor=None, name=micro_name, parent=macro)
            for phrase in phrases:
                services_themes.rule_create(theme=micro, actor=None, phrase=phrase)
    for name in ("Prioritaire", "À rappeler"):
        services_themes.tag_create(organisation=organisation, actor=None, name=name)


def _feedback(rng, plan, touchpoints) -> None:
    rows = []
    start = date(2026, 1, 1)
    for touchpoint in touchpoints[:12]:
        for _ in range(rng.randint(12, 40)):
            kind = rng.choice([FeedbackKind.NPS, FeedbackKind.NPS, FeedbackKind.CES, FeedbackKind.CSAT])
            verbatim = ""
            if kind == FeedbackKind.NPS and rng.random() < 0.35:
                score, verbatim = rng.choice(VERBATIMS)
            else:
                score = rng.choices(*SCORE_WEIGHTS[kind])[0]
            rows.append({"touchpoint_id": touchpoint.pk, "kind": kind, "score": score, "verbatim": verbatim,
                         "responded_on": start + timedelta(days=rng.randint(0, 320)),
                         "source": rng.choice(["Post-purchase survey", "Call centre", "Store tablet"])})
    services.feedback_bulk_create(plan=plan, actor=None, rows=rows)
