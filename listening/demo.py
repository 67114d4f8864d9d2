"""Demo mentions for seed_demo: a few hundred French and English mentions over the last twelve months, on the
organisation's online channels, some about two competitors, so the listening pages show something on `make run`.

Deterministic (a seeded random generator). Written through services.mentions_bulk_write, so the sentiment is
computed and the organisation's theme rules (assessments.demo's taxonomy) put their themes on the mentions.
"""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from listening import services
from listening.models import Competitor, Mention
from planning.models import Channel, Persona

COMPETITORS = ["Summit Gear", "Trailblazer Sports"]
AUTHORS = [("@trail_lea", 48_000), ("@runwithtom", 12_500), ("@outdoor_mag", 230_000), ("@camille.rando", 3_100),
           ("@hikingdad", 860), ("@julie_b", 240), ("@marc_velo", 1_900), ("@sarah.climbs", 27_000),
           ("@nico_trek", 410), ("@emma_outdoors", 6_700), ("@le_coureur", 15_200), ("@paul_m", 95),
           ("@greenpeaks", 54_000), ("@ines.run", 1_250), ("@alpine_ben", 8_800), ("@claire_d", 130),
           ("@bikepacker", 2_300), ("@maman_sportive", 19_000), ("@thomas_r", 60), ("@ultra_anna", 33_000)]
TEXTS = [
    "Super conseil en magasin, le vendeur connaissait vraiment le produit !",
    "Livraison rapide et retour gratuit, parfait comme toujours.",
    "Le stock affiché sur le site était faux, déplacement pour rien. Très déçu.",
    "Temps d'attente interminable au service client, 40 minutes au téléphone.",
    "Impossible d'utiliser mes points de fidélité en ligne, c'est nul.",
    "Les promotions de la semaine sont top, j'ai craqué pour des chaussures.",
    "L'appli plante à chaque paiement, franchement pénible.",
    "Retour accepté sans discussion en magasin, merci à l'équipe !",
    "Great advice from the store staff, they really know trail running.",
    "Waited 30 minutes before anyone answered the phone. Not good.",
    "Delivery was two days late and nobody told me.",
    "The loyalty card finally works online, great job.",
    "Love the new offers on hiking boots this month!",
    "Website search is confusing, could not find my size.",
    "Checkout on the website was quick and easy.",
    "Stock online says available but the store had none. Annoying.",
]
COMPETITOR_TEXTS = [
    "{c} a de meilleurs prix sur les vestes en ce moment.",
    "Chez {c} la livraison est gratuite dès 30 €, pourquoi pas ici ?",
    "{c} has a better return policy, honestly.",
    "Tried {c} last week, the staff advice was poor compared to NTO.",
    "{c} offers are everywhere on Instagram this month.",
]
SOURCES = {"fr": ["Twitter", "Instagram", "Facebook", "Forum Rando"], "en": ["Twitter", "Instagram", "Reddit",
                                                                           "Trustpilot"]}


def seed(*, plan, count: int = 420) -> None:
    """Fill the demo plan's mentions, unless it already has some."""
    if Mention.objects.filter(plan=plan).exists():
        return
    rng = random.Random(2026)
    online = list(Channel.objects.filter(organisation_id=plan.organisation_id, kind="online")
                  .order_by("position", "pk"))
    # Listening tools mostly hear social networks and blogs: those channels first (the heaviest weights), then the
    # rest of the online channels in their order.
    heard_most = [_("Social networks and communities"), _("Blog")]
    online.sort(key=lambda channel: heard_most.index(channel.name) if channel.name in heard_most else len(heard_most))
    channels = online[:5] or list(Channel.objects.filter(organisation_id=plan.organisation_id)
                                  .order_by("position", "pk")[:5])
    if not channels:
        return
    competitors = [Competitor.objects.get_or_create(plan=plan, name=name)[0] for name in COMPETITORS]
    personas = list(Persona.objects.filter(plan=plan).order_by("pk"))
    today = timezone.localdate()
    weights = [5, 3, 2, 1, 1][: len(channels)]
    rows = []
    for number in range(count):
        author, reach = rng.choice(AUTHORS)
        competitor = rng.choice(competitors) if rng.random() < 0.22 else None
        text = rng.choice(COMPETITOR_TEXTS).format(c=competitor.name) if competitor else rng.choice(TEXTS)
        # More mentions in recent months, and a peak in the sales of January and of the summer.
        age = int(rng.triangular(0, 364, 60))
        day = today - timedelta(days=age)
        if day.month in (1, 7) and rng.random() < 0.3:
            day = day.replace(day=min(day.day, 28))
        language = services.language(text)
        rows.append({
            "channel_id": rng.choices(channels, weights)[0].pk, "mentioned_on": day,
            "source": rng.choice(SOURCES[language]), "author": author,
            "author_reach": max(0, int(reach * rng.uniform(0.9, 1.1))), "text": text,
            "url": f"https://example.com/{author.strip('@').replace('.', '_')}/{number}", "language": language,
            "imported_sentiment": "", "competitor_id": competitor.pk if competitor else None,
            "touchpoint_id": None, "persona_id": rng.choice(personas).pk if personas and rng.random() < 0.5 else None,
            "external_source": "demo", "external_id": f"demo-{number}",
            "tags": ["magasin"] if "magasin" in text or "store" in text else [],
        })
    services.mentions_bulk_write(plan=plan, actor=None, rows=rows)
