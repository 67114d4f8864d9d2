"""Sentiment of a verbatim, offline: VADER (vaderSentiment, its lexicon ships with the package) for English, the
written-down lexicon method of french.py for French. The language is guessed from common words."""

import re
from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from assessments.sentiment import french
from assessments.text import fold

POSITIVE_FROM, NEGATIVE_TO = 0.05, -0.05
FRENCH_WORDS = {"le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "je", "j", "il", "elle", "on", "nous",
                "vous", "pas", "ne", "n", "tres", "trop", "mais", "avec", "pour", "sur", "en", "au", "aux", "mon",
                "ma", "mes", "ce", "c", "a", "ai", "qui", "que", "plus", "tout", "rien", "jamais", "bien", "merci",
                "d", "l", "m", "s", "ete", "sans", "par", "se", "sont"}
ENGLISH_WORDS = {"the", "a", "an", "and", "is", "was", "i", "it", "not", "no", "very", "too", "but", "with", "for",
                 "on", "in", "at", "my", "this", "that", "of", "to", "you", "they", "we", "have", "had", "been",
                 "were", "are", "did", "do", "does", "never", "all", "so", "thank", "thanks", "be", "me", "after",
                 "again", "will", "would", "their", "there", "about", "by", "from", "good", "great"}
_WORDS = re.compile(r"[a-z]+")


def language(text: str) -> str:
    """"fr" or "en", from the share of common French and English words; on a tie (short texts such as "Service
    client nul"), from the words each sentiment lexicon knows, then from accents (French)."""
    words = _WORDS.findall(fold(text))
    french_count = sum(word in FRENCH_WORDS for word in words)
    english_count = sum(word in ENGLISH_WORDS for word in words)
    if french_count == english_count:
        french_count = sum(word in french.lexicon() for word in words)
        english_count = sum(word in _vader().lexicon for word in words)
    if french_count != english_count:
        return "fr" if french_count > english_count else "en"
    return "fr" if fold(text) != text.casefold() else "en"


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def label_for(score: float) -> str:
    if score >= POSITIVE_FROM:
        return "positive"
    return "negative" if score <= NEGATIVE_TO else "neutral"


def analyse(text: str) -> tuple[str, float] | tuple[str, None]:
    """(label, score in [-1, 1]) of a verbatim; ("", None) for an empty one."""
    if not text or not text.strip():
        return "", None
    value = french.score(text) if language(text) == "fr" else _vader().polarity_scores(text)["compound"]
    value = round(value, 4)
    return label_for(value), value
