"""French sentiment with a written-down lexicon (lexicon_fr.tsv) and VADER's rules adapted to French.

Method (the heuristics of VADER, Hutto & Gilbert 2014, with French negation and intensifiers):
1. The text is folded (lower case, no accents, apostrophes and hyphens as spaces) and cut into words.
2. Each word (or phrase of up to three words, longest first) found in the lexicon gives its valence (-4..4);
   feminine and plural forms are found by dropping -es, -e, -s or -x.
3. Intensifiers just before it ("très", "trop", "vraiment", "tellement"...) raise its strength by 0.3 each (VADER's
   booster increment); "un peu" lowers it by 0.3.
4. Negation flips it and damps it (× -0.74, VADER's N_SCALAR): a negator among the three words before it ("pas",
   "jamais", "aucun", "rien", "sans", "ni", "personne", "plus" when a "ne"/"n'" comes before), or a "ne"/"n'" just
   before it with "pas", "jamais", "plus", "rien" or "guère" just after it (the verb sits between the two halves:
   "ne fonctionne pas"). A negation does not reach past a comma or a full stop. "peu" alone ("peu aimable") also
   flips it (× -0.5).
5. "mais" weighs what comes before it by 0.5 and what follows by 1.5, as VADER does for "but".
6. The sum s becomes a score in [-1, 1] by VADER's normalisation s / sqrt(s² + 15); an exclamation mark adds
   0.292 to the size of a non-zero sum (at most three), as VADER does.
The label: positive from 0.05, negative to -0.05, else neutral (VADER's usual thresholds).
"""

import math
import re
from functools import lru_cache
from pathlib import Path

from assessments.text import fold

LEXICON_FILE = Path(__file__).with_name("lexicon_fr.tsv")
BOOSTERS = {"tres", "trop", "vraiment", "tellement", "extremement", "vachement", "hyper", "super", "si",
            "absolument", "totalement", "completement", "particulierement", "beaucoup", "fort", "bien"}
NEGATORS = {"pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "personne", "nullement"}
AFTER_NE = {"pas", "jamais", "plus", "rien", "guere", "point"}
PUNCTUATION = {",", ".", ";", ":", "!", "?"}
BOOST, N_SCALAR, ALPHA, EXCLAMATION = 0.3, -0.74, 15, 0.292
_NOT_ALNUM = re.compile(r"\W")  # \w is a letter, a digit or "_", and fold() turned every "_" into a space


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    entries = {}
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, valence = line.rsplit("\t", 1)
            entries[fold(word)] = float(valence)
    return entries


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """The first words of the lexicon's phrases: only after one of them is a longer entry looked for."""
    return frozenset(entry.split(" ", 1)[0] for entry in lexicon() if " " in entry)


def _valence(words: list[str], start: int) -> tuple[float | None, int]:
    """The valence of the longest lexicon entry starting at `start`, and how many words it spans."""
    entries = lexicon()
    word = words[start]
    if word in _phrase_starts():
        for size in (3, 2):
            if len(words) - start >= size:
                phrase = " ".join(words[start:start + size])
                if phrase in entries:
                    return entries[phrase], size
    if word in entries:
        return entries[word], 1
    for ending in ("es", "e", "s", "x"):
        if word.endswith(ending) and word[: -len(ending)] in entries:
            return entries[word[: -len(ending)]], 1
    return None, 1


def _clause(words: list[str]) -> list[str]:
    """The words up to the first punctuation mark: a negation does not reach past a comma or a full stop."""
    for index, word in enumerate(words):
        if word in PUNCTUATION:
            return words[:index]
    return words


def _negated(words: list[str], start: int, end: int) -> float:
    before = _clause(words[max(0, start - 3):start][::-1])[::-1]
    after = _clause(words[end:end + 2])
    has_ne = any(word in ("ne", "n") for word in before)
    if any(word in NEGATORS for word in before) or (has_ne and "plus" in before):
        return N_SCALAR
    if has_ne and any(word in AFTER_NE for word in after):
        return N_SCALAR
    if start and words[start - 1] == "peu" and (start < 2 or words[start - 2] != "un"):
        return -0.5
    return 1.0


def _boost(words: list[str], start: int, valence: float) -> float:
    sign = 1 if valence > 0 else -1
    scalar = 0.0
    for word in words[max(0, start - 2):start]:
        if word in BOOSTERS:
            scalar += BOOST
    if start >= 2 and words[start - 2:start] == ["un", "peu"]:
        scalar -= BOOST
    return valence + sign * scalar


def score(text: str) -> float:
    spaced = fold(text)
    for mark in PUNCTUATION:
        spaced = spaced.replace(mark, f" {mark} ")
    words = [_NOT_ALNUM.sub("", word) or word for word in spaced.split()]
    total, weight, index = 0.0, 1.0, 0
    sentiments: list[tuple[float, float]] = []  # (valence, weight before/after "mais")
    while index < len(words):
        if words[index] == "mais":
            sentiments = [(v, 0.5) for v, _w in sentiments]
            weight = 1.5
            index += 1
            continue
        valence, size = _valence(words, index)
        if valence is not None:
            valence = _boost(words, index, valence) * _negated(words, index, index + size)
            sentiments.append((valence, weight))
        index += size
    total = sum(v * w for v, w in sentiments)
    if total:
        total += math.copysign(min(text.count("!"), 3) * EXCLAMATION, total)
    return max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))
