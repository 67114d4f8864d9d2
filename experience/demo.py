"""The demo plan's experience lanes for seed_demo: what Léa and Marc do, think and feel at each stage, their
emotion curves, the pain points (with the verbatims that show them) and the opportunities that answer them.

Idempotent: a journey that already has lanes is left alone. Names that are missing (a renamed touchpoint, a
verbatim not drawn by the random feedback) are skipped.
"""

from assessments.models import FeedbackResponse
from experience import services
from experience.models import Lane

# journey name -> lanes (kind, title, one text per stage or None), stage emotions, touchpoint emotions,
# pain points (stage, title, severity, evidence, touchpoint names, verbatim starts),
# opportunities (stage, title, expected value, evidence, touchpoint names, pain titles)
JOURNEYS = {
    "Léa buys new hiking boots": {
        "lanes": [
            ("actions", "", ["Looks for waterproof boots for a weekend trek", "Compares models and checks stock",
                             "Buys in store or online", "Breaks the boots in, returns or rates them"]),
            ("thoughts", "", ["“Will they really keep my feet dry?”", "“Which size do I take in this brand?”",
                              "“Can I get my size today?”", "“Were they worth the price?”"]),
            ("emotion", "", None),
            ("metrics", "", None),
            ("insights", "", None),
            ("backstage", "", ["Campaign targeting from the CRM", "Stock synchronised every night only",
                               "Loyalty points posted in batch", "Returns handled by the store, defects by phone"]),
        ],
        "stages": [1, -1, 0, -2],
        "touchpoints": {"Calls to ask about sizes": -1, "Tries the boots on": 2, "Checks stock in her store": -2,
                        "Reports a defect": -2, "Rates the product": 1},
        "pains": [
            (1, "The stock shown online is wrong", 4, "measured", ["Checks stock in her store"],
             ["Le stock affiché sur le site"]),
            (1, "She repeats her question to every agent", 3, "reported", ["Calls to ask about sizes"],
             ["J'ai dû répéter", "Waited 20 minutes"]),
            (3, "Reporting a defect means a long phone wait", 4, "observed", ["Reports a defect"],
             ["Waited 20 minutes"]),
        ],
        "opportunities": [
            (1, "Real-time stock by store on every product page", 5, "measured", ["Checks stock in her store"],
             ["The stock shown online is wrong"]),
            (1, "One customer history for agents and advisors", 4, "reported", ["Calls to ask about sizes"],
             ["She repeats her question to every agent"]),
            (3, "Report a defect from the app with a photo", 3, "assumed", ["Reports a defect", "Rates the product"],
             ["Reporting a defect means a long phone wait"]),
        ],
    },
    "Marc joins the loyalty programme": {
        "lanes": [
            ("emotion", "", None),
            ("feelings", "", ["Curious", "Flattered by the advisor's offer", "Welcomed, a bit flooded by e-mails",
                              "Part of a community", "Annoyed: his points are missing", "Proud to share"]),
            ("insights", "", None),
            ("metrics", "", None),
        ],
        "stages": [0, 1, 0, 2, -2, 1],
        "touchpoints": {"Calls about missing points": -2, "Attends a running clinic": 2},
        "pains": [
            (4, "Points earned online do not show in store", 5, "measured", ["Calls about missing points"],
             ["Impossible d'utiliser mes points"]),
            (2, "The welcome e-mails are not about running", 2, "reported", ["Receives the welcome series"],
             ["Ok, but the email offers"]),
        ],
        "opportunities": [
            (4, "One loyalty balance across store, web and app", 5, "measured",
             ["Calls about missing points", "Tracks points in the app"], ["Points earned online do not show in store"]),
        ],
    },
}


def seed(plan) -> None:
    for journey in plan.journeys.all():
        data = JOURNEYS.get(journey.name)
        if data is None or journey.lanes.exists():
            continue
        _seed_journey(journey, data)


def _seed_journey(journey, data) -> None:
    stages = list(journey.stages.order_by("position", "id"))
    touchpoints = {t.name: t for t in journey.touchpoints.all()}
    verbatims = list(FeedbackResponse.objects.filter(touchpoint__journey=journey).exclude(verbatim=""))
    for kind, title, texts in data["lanes"]:
        lane: Lane = services.lane_create(journey=journey, actor=None, kind=kind, title=title)
        for stage, text in zip(stages, texts or [], strict=False):
            services.lane_card_create(lane=lane, stage=stage, actor=None, text=text)
    for stage, score in zip(stages, data["stages"], strict=False):
        services.emotion_set(journey=journey, stage=stage, actor=None, score=score)
    for name, score in data["touchpoints"].items():
        if name in touchpoints:
            touchpoint = touchpoints[name]
            services.emotion_set(journey=journey, stage=touchpoint.stage, touchpoint=touchpoint, actor=None,
                                 score=score)
    pains = {}
    for stage, title, severity, evidence, names, quotes in data["pains"]:
        pains[title] = services.pain_point_create(
            journey=journey, stage=stages[stage], actor=None, title=title, severity=severity, evidence=evidence,
            touchpoints=[touchpoints[n] for n in names if n in touchpoints],
            verbatims=[v for v in verbatims if any(v.verbatim.startswith(q) for q in quotes)][:5])
    for stage, title, value, evidence, names, pain_titles in data["opportunities"]:
        services.opportunity_create(
            journey=journey, stage=stages[stage], actor=None, title=title, expected_value=value, evidence=evidence,
            touchpoints=[touchpoints[n] for n in names if n in touchpoints],
            pain_points=[pains[t] for t in pain_titles if t in pains])
