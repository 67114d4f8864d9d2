"""Suggested new themes for a plan: topics found in its mentions and verbatims that no theme covers yet.

scikit-learn's NMF over TF-IDF weights (words and two-word phrases of the folded texts: lower case, no accents) finds
a few topics; each is offered as a theme named after its strongest term, with that term as its keyword rule, its
other terms and example texts. Nothing is applied: a person accepts a suggestion (listening/views/suggestions.py),
which creates the theme and its rule through assessments.services_themes.

Offline and deterministic: the English stop words ship with scikit-learn, the French ones with this app
(data/stopwords_fr.txt); the same texts give the same suggestions (a fixed random_state).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from django.core.cache import cache as django_cache
from django.db.models import Count, Exists, Max, OuterRef
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from assessments.models import FeedbackResponse, Theme, ThemeRule, VerbatimTheme
from assessments.text import fold
from listening.models import Competitor, Mention, MentionTheme

MAX_TEXTS = 3000  # the newest uncovered texts read; enough for topics, bounded in time and memory
MIN_TEXTS = 10  # fewer uncovered texts than this: too few to find a topic in
TOPICS = 8
EXAMPLES = 3
TERMS = 6
CACHE_SECONDS = 600
_WORDS = re.compile(r"[^\W\d_]+")
STOP_WORDS_FR = Path(__file__).parent / "data" / "stopwords_fr.txt"


@dataclass
class Suggestion:
    """A topic offered as a new theme: its name and keyword (the strongest term), other terms, examples."""

    name: str
    keyword: str
    terms: list[str]
    examples: list[str] = field(default_factory=list)
    texts: int = 0  # how many of the texts read lean mostly to this topic


@cache
def stop_words() -> frozenset[str]:
    french = {line.strip() for line in STOP_WORDS_FR.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    return frozenset(french | {fold(word) for word in ENGLISH_STOP_WORDS})


def uncovered_texts(plan, limit: int = MAX_TEXTS) -> list[str]:
    """The plan's newest mentions and verbatims that carry no theme (two queries)."""
    mentions = (Mention.objects.filter(plan=plan)
                .exclude(Exists(MentionTheme.objects.filter(mention_id=OuterRef("pk"))))
                .order_by("-mentioned_on", "-id").values_list("text", flat=True)[:limit])
    verbatims = (FeedbackResponse.objects.filter(plan=plan).exclude(verbatim="")
                 .exclude(Exists(VerbatimTheme.objects.filter(response_id=OuterRef("pk"))))
                 .order_by("-responded_on", "-id").values_list("verbatim", flat=True)[:limit])
    texts = [*mentions, *verbatims]
    return texts[:limit]


def known_terms(plan) -> set[str]:
    """The organisation's rule phrases and theme names, and the plan's competitors (each of their words too: a
    brand is no topic), folded: a topic led by one of them is not new."""
    phrases = ThemeRule.objects.filter(theme__organisation_id=plan.organisation_id).values_list("phrase", flat=True)
    names = Theme.objects.filter(organisation_id=plan.organisation_id).values_list("name", flat=True)
    brands = [fold(name) for name in Competitor.objects.filter(plan=plan).values_list("name", flat=True)]
    return {fold(text) for text in [*phrases, *names]} | set(brands) | {w for b in brands for w in b.split(" ")}


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))[:EXAMPLES]


def suggest(texts: list[str], known: set[str] = frozenset(), topics: int = TOPICS) -> list[Suggestion]:
    """Pure: the topics of `texts` as suggestions, strongest first, leaving out those led by a `known` term."""
    if len(texts) < MIN_TEXTS:
        return []
    folded = [fold(text) for text in texts]
    vectorizer = TfidfVectorizer(stop_words=sorted(stop_words()), token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
                                 ngram_range=(1, 2), min_df=2, max_df=0.5, max_features=5000, sublinear_tf=True)
    try:
        weights = vectorizer.fit_transform(folded)
    except ValueError:  # nothing left after the stop words
        return []
    terms = vectorizer.get_feature_names_out()
    k = min(topics, weights.shape[1], weights.shape[0] - 1)
    if k < 1:
        return []
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=300)
    doc_topics = model.fit_transform(weights)
    leaning = doc_topics.argmax(axis=1)
    found, seen_keywords = [], set()
    for index in np.argsort(-doc_topics.sum(axis=0)):
        ranked = [terms[i] for i in np.argsort(-model.components_[index])[:TERMS * 2]]
        keyword = next((term for term in ranked if term not in known and term not in seen_keywords), None)
        members = np.flatnonzero((leaning == index) & (doc_topics[:, index] > 0))
        if keyword is None or ranked[0] in known or len(members) < 2:
            continue
        seen_keywords.add(keyword)
        best = members[np.argsort(-doc_topics[members, index])]
        examples = _distinct([texts[i] for i in best if keyword in folded[i]] or [texts[i] for i in best])
        shown = _as_written(keyword, texts, folded)
        found.append(Suggestion(name=shown[:1].upper() + shown[1:], keyword=shown,
                                terms=[_as_written(t, texts, folded) for t in ranked if t != keyword][:TERMS - 1],
                                examples=examples,
                                texts=len(members)))
    return found


def _as_written(term: str, texts: list[str], folded: list[str]) -> str:
    """The term with the accents people wrote it with ("abime" → "abîmé"): its commonest written form."""
    forms: Counter = Counter()
    for text, plain in zip(texts, folded, strict=True):
        if term not in plain:
            continue
        words = [w for w in _WORDS.findall(text.lower())]
        size = len(term.split(" "))
        for i in range(len(words) - size + 1):
            if fold(" ".join(words[i:i + size])) == term:
                forms[" ".join(words[i:i + size])] += 1
        if sum(forms.values()) >= 50:
            break
    return forms.most_common(1)[0][0] if forms else term


def plan_suggestions(plan) -> list[Suggestion]:
    """The plan's suggestions, kept in the cache until its texts or the organisation's themes change."""
    key = "theme-suggestions:{}:{}".format(plan.pk, "-".join(str(part) for part in _fingerprint(plan)))
    found = django_cache.get(key)
    if found is None:
        found = suggest(uncovered_texts(plan), known_terms(plan))
        django_cache.set(key, found, CACHE_SECONDS)
    return found


def _fingerprint(plan) -> tuple:
    mentions = Mention.objects.filter(plan=plan).aggregate(n=Count("pk"), last=Max("updated_at"))
    verbatims = FeedbackResponse.objects.filter(plan=plan).aggregate(n=Count("pk"), last=Max("updated_at"))
    rules = ThemeRule.objects.filter(theme__organisation_id=plan.organisation_id).aggregate(n=Count("pk"),
                                                                                            last=Max("pk"))
    tagged = MentionTheme.objects.filter(mention__plan=plan).aggregate(n=Count("pk"), last=Max("pk"))
    brands = Competitor.objects.filter(plan=plan).aggregate(n=Count("pk"), last=Max("version"))
    return (brands["n"], brands["last"],
            mentions["n"], _stamp(mentions["last"]), verbatims["n"], _stamp(verbatims["last"]), rules["n"],
            rules["last"], tagged["n"], tagged["last"])


def _stamp(value) -> str:
    return value.isoformat() if value else ""
