"""What a spreadsheet could evaluate in a text cell, and how the exports defuse it (OWASP's CSV injection advice).

A cell is dangerous when, once the spreadsheet has trimmed it, it starts with `=`, `+`, `-` or `@`, or with one of
their full-width or small forms (`＝＋－＠`, which Excel in East Asian locales reads as the ASCII ones) or the minus
sign `−`; blanks, invisible and control characters before it do not make it safe. A CSV cell also holds more cells
for a reader that splits on another separator than ours (French Excel splits on `;`, some imports on tabs), so a
formula after `;`, `,`, a tab or a line break counts too: `x;=1+1`.

Defused cells get a single quote before each formula: `'=1+1`, `x;'=1+1`. Spreadsheets show the quote as a text
marker; numbers the export itself writes (a gap of -18.8) are not text and are never touched.
"""

import unicodedata

FORMULA_CHARACTERS = "=+-@"
SEPARATORS = ";,\t\r\n"


def _formula_character(character: str) -> bool:
    return character == "\u2212" or unicodedata.normalize("NFKC", character) in FORMULA_CHARACTERS


def _blank(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs")


def _first_non_blank(text: str, start: int, *, stop_at_separator: bool = False) -> int:
    position = start
    while position < len(text) and _blank(text[position]):
        if stop_at_separator and text[position] in SEPARATORS:
            break
        position += 1
    return position


def could_be_formula(text: str) -> bool:
    """Whether a spreadsheet reading `text` as one cell could evaluate it (leading blanks and controls skipped)."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    position = _first_non_blank(text, 0)
    return position < len(text) and _formula_character(text[position])


def _formulas_after_separators(text: str) -> list[int]:
    """Where a formula would start in the cells a reader splitting `text` on a separator would see."""
    positions = []
    for index, character in enumerate(text):
        if character in SEPARATORS:
            position = _first_non_blank(text, index + 1, stop_at_separator=True)
            if position < len(text) and _formula_character(text[position]):
                positions.append(position)
    return positions


def neutralise(text: str) -> str:
    """`text` with a single quote before it if a spreadsheet could evaluate it, and before every formula after a
    separator: "=1+1" -> "'=1+1", " =1" -> "' =1", "x;=1+1" -> "x;'=1+1"."""
    result = text
    for position in reversed(_formulas_after_separators(text)):
        result = result[:position] + "'" + result[position:]
    return "'" + result if could_be_formula(text) else result
