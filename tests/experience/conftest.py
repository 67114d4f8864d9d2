import pytest

from experience import services as experience
from planning import services
from planning.models import Channel


@pytest.fixture
def world(org, people, plan, team):
    """A purchase journey (four stages) with two touchpoints, a thoughts lane with a card, an emotion lane with
    three scores, a pain point and an opportunity."""
    owner = people["owner"]
    services.channels_seed(org)
    journey = services.journey_create(plan=plan, actor=owner, name="Buy trail shoes", template="purchase")
    stages = list(journey.stages.order_by("position"))
    web = Channel.objects.get(organisation=org, name="Website")
    tp = services.touchpoint_create(stage=stages[0], channel=web, actor=owner, name="Clicks an online ad")
    tp2 = services.touchpoint_create(stage=stages[2], channel=web, actor=owner, name="Pays online")
    thoughts = experience.lane_create(journey=journey, actor=owner, kind="thoughts")
    card = experience.lane_card_create(lane=thoughts, stage=stages[0], actor=owner, text="Are these waterproof?")
    emotion = experience.lane_create(journey=journey, actor=owner, kind="emotion")
    scores = [experience.emotion_set(journey=journey, stage=stage, actor=owner, score=score)
              for stage, score in zip(stages[:3], (1, -2, 0), strict=True)]
    insights = experience.lane_create(journey=journey, actor=owner, kind="insights")
    pain = experience.pain_point_create(journey=journey, stage=stages[2], actor=owner, title="Card refused twice",
                                        severity=4, touchpoints=[tp2])
    opportunity = experience.opportunity_create(journey=journey, stage=stages[2], actor=owner,
                                                title="Offer PayPal", pain_points=[pain], expected_value=4)
    return {"journey": journey, "stages": stages, "web": web, "tp": tp, "tp2": tp2, "thoughts": thoughts,
            "card": card, "emotion_lane": emotion, "scores": scores, "insights": insights, "pain": pain,
            "opportunity": opportunity, "plan": plan, "org": org, "team": team}
