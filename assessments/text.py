"""Text helpers for verbatims: fold case and accents, and find theme rules' phrases as whole words.

Pure functions over strings: no queries. "Attente", "ATTENTE" and "attenté" all fold to "attente"; apostrophes and
hyphens become spaces, so the rule "temps d'attente" matches "temps d’attente" and "temps-d'attente".
"""

import re
import unicodedata
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s'’`´\-‐–—_]+")
_WORD = re.compile(r"\w+")


# Every combining mark is at U+0300 or above: only those characters are looked at one by one (a per-character loop
# over whole texts was a fifth of a 100,000-row import's time).
_FROM_COMBINING = re.compile("[\u0300-\U0010ffff]+")


def _bare(match: re.Match) -> str:
    return "".join(char for char in match.group() if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes/hyphens/runs of spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = decomposed if decomposed.isascii() else _FROM_COMBINING.sub(_bare, decomposed)
    return _SEPARATORS.sub(" ", bare).strip()


@dataclass(frozen=True)
class CompiledRule:
    rule_id: int
    theme_id: int
    pattern: re.Pattern
    words: frozenset  # every word of the phrase: a verbatim lacking one cannot match (a set test, no regex)


def compile_rules(rules) -> list[CompiledRule]:
    """(rule_id, theme_id, phrase) triples as whole-word patterns over folded text; empty phrases are dropped."""
    compiled = []
    for rule_id, theme_id, phrase in rules:
        folded = fold(phrase)
        if folded:
            words = r"\s+".join(re.escape(word) for word in folded.split(" "))
            compiled.append(CompiledRule(rule_id, theme_id, re.compile(rf"(?<!\w){words}(?!\w)"),
                                         frozenset(_WORD.findall(folded))))
    return compiled


def match_rules(text: str, rules: list[CompiledRule]) -> dict[int, tuple[int, str]]:
    """{theme_id: (rule_id, the words of the verbatim that matched)}: the first matching rule of each theme."""
    found: dict[int, tuple[int, str]] = {}
    if not text or not rules:
        return found
    folded = fold(text)
    present = set(_WORD.findall(folded))
    original = _aligned(text, folded)
    for rule in rules:
        if rule.theme_id in found or not rule.words <= present:
            continue
        hit = rule.pattern.search(folded)
        if hit:
            found[rule.theme_id] = (rule.rule_id, original(hit.start(), hit.end()) or hit.group())
    return found


def _aligned(text: str, folded: str):
    """Map a span of the folded text back to the verbatim's own words when the lengths allow it (the common case:
    only accents and case changed), else give the folded words."""
    simple = " ".join(_SEPARATORS.sub(" ", text).split())
    if len(simple) != len(folded):
        return lambda start, end: ""
    return lambda start, end: simple[start:end][:200]
