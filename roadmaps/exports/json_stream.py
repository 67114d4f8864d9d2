"""JSON written to a stream piece by piece, byte for byte what `json.dumps(document, ensure_ascii=False, indent=1)`
gives for the whole document, without ever holding the whole document (or its text) in memory.

orjson does the encoding (it escapes exactly the characters json.dumps(ensure_ascii=False) escapes, and writes
the same separators), but only indents by two spaces: `dumps` halves the indentation and shifts it to the depth
the value sits at. That is safe on raw bytes because orjson escapes every control character inside strings, so
each newline it writes is followed by indentation only, and a NUL byte never appears unescaped.
"""

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import BinaryIO

import orjson

CHUNK = 1000  # rows encoded at a time: big enough for orjson's speed, small enough to keep memory flat


def dumps(value, depth: int = 0) -> bytes:
    """`value` as json.dumps(indent=1, ensure_ascii=False) writes it `depth` levels deep (first line not indented)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError: keys that are not text, integers beyond 64 bits; json takes them
        return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8").replace(b"\n", b"\n" + b" " * depth)
    levels = 0
    while b"\n" + b"  " * (levels + 1) in text:
        levels += 1
    # Deepest first, through NUL, so a shallower pattern never matches what a deeper one already rewrote.
    for level in range(levels, 0, -1):
        text = text.replace(b"\n" + b"  " * level, b"\n" + b"\0" * level)
    if depth:
        text = text.replace(b"\n", b"\n" + b" " * depth)
    return text.replace(b"\0", b" ") if levels else text


def write_array(stream: BinaryIO, rows: Iterable, depth: int = 0) -> None:
    """A JSON array of `rows`, encoded CHUNK rows at a time (the rows may come from a database cursor)."""
    rows = iter(rows)
    opened = False
    while chunk := list(islice(rows, CHUNK)):
        text = dumps(chunk, depth)
        stream.write(b"," if opened else b"[")
        stream.write(memoryview(text)[1:len(text) - depth - 2])  # without this chunk's "[" and "\n<indent>]"
        opened = True
    stream.write(b"\n" + b" " * depth + b"]" if opened else b"[]")


def write_object(stream: BinaryIO, items: Iterable[tuple[str, object]], depth: int = 0) -> None:
    """A JSON object from (key, value) pairs; a value that is an iterator (not a list) is streamed as an array."""
    inner = b"\n" + b" " * (depth + 1)
    separator = b"{" + inner
    for key, value in items:
        stream.write(separator + orjson.dumps(key) + b": ")
        if isinstance(value, Iterator):
            write_array(stream, value, depth + 1)
        else:
            stream.write(dumps(value, depth + 1))
        separator = b"," + inner
    stream.write(b"{}" if separator.startswith(b"{") else b"\n" + b" " * depth + b"}")
