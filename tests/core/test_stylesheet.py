"""The stylesheet parses: an unclosed block (a merge that dropped a `}`) silently swallows every rule after it."""

from pathlib import Path

import tinycss2

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def test_every_block_of_the_stylesheet_is_closed_and_every_rule_parses():
    rules = tinycss2.parse_stylesheet(STYLESHEET.read_text(), skip_comments=True, skip_whitespace=True)
    errors = [rule for rule in rules if rule.type == "error"]
    assert errors == []
    media = [rule for rule in rules if rule.type == "at-rule" and rule.lower_at_keyword == "media"]
    # A @media block that swallowed the rules after it holds top-level selectors of other features.
    for rule in media:
        inner = tinycss2.parse_rule_list(rule.content or [], skip_comments=True, skip_whitespace=True)
        assert all(item.type in ("qualified-rule", "at-rule") for item in inner), tinycss2.serialize(rule.prelude)
        assert len(inner) < 40, f"@media{tinycss2.serialize(rule.prelude)} holds {len(inner)} rules: is it closed?"
    text = STYLESHEET.read_text()
    assert text.count("{") == text.count("}")
