"""What customers complain about, on each persona's card (planning.persona_panels): the top negative themes of the
verbatims left on the touchpoints of the persona's journeys and of the mentions linked to the persona, with an
example each. Four queries for all the personas of a plan (assessments.voice)."""

from django.urls import reverse

from assessments import voice
from assessments.models import VerbatimTheme
from listening.models import MentionTheme

TEMPLATE = "listening/_persona_voice.html"
THEMES, EXAMPLES = 3, 1


def persona_voice_panels(plan, personas) -> dict[int, list[dict]]:
    ids = [persona.pk for persona in personas]
    if not ids:
        return {}
    verbatims = voice.with_links(voice.negative_themes(
        VerbatimTheme.objects.filter(response__plan_id=plan.pk, response__touchpoint__journey__persona_id__in=ids),
        group="response__touchpoint__journey__persona_id", top=THEMES, examples=EXAMPLES),
        reverse("plan_feedback", args=[plan.pk]))
    mentions = voice.negative_themes(
        MentionTheme.objects.filter(mention__plan_id=plan.pk, mention__persona_id__in=ids),
        source=voice.MENTIONS, group="mention__persona_id", top=THEMES, examples=EXAMPLES)
    listening_url = reverse("listening_themes", args=[plan.pk])
    for persona_id, rows in mentions.items():
        for row in rows:
            row["url"] = f"{listening_url}?theme={row['theme_id']}&persona={persona_id}"
    return {pk: [{"template": TEMPLATE, "verbatims": verbatims.get(pk, []), "mentions": mentions.get(pk, [])}]
            for pk in ids if verbatims.get(pk) or mentions.get(pk)}
