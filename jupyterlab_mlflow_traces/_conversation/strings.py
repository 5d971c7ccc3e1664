"""Python port of src/trace/conversation/strings.ts; kept equal by test_conversation_parity.py.

The strings of a message: walked without recursion, turned into text, and
checked against what its parts show (the net behind "no string is lost").
Also the few JavaScript semantics the readers need beyond ``_js``:
``undefined`` apart from ``null``, ``String(value)`` and ``includes`` on
UTF-16 code units.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from itertools import accumulate
from json.encoder import encode_basestring
from typing import Any

from .._js import is_number, js_keys, json_string, number_text, stringify
from .substrings import Occurrences, quoted_literals


class _Undefined:
    """JavaScript's ``undefined``, where a reader tells it from ``null``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNDEFINED"


#: A key absent from a record: ``valueText`` gives "" for it, "null" for ``None``.
UNDEFINED: Any = _Undefined()


def nullish(value: Any) -> bool:
    """``value === null || value === undefined``."""
    return value is None or value is UNDEFINED


def coalesce(*values: Any) -> Any:
    """``a ?? b ?? c``: the first value that is not nullish, else the last."""
    for value in values[:-1]:
        if not nullish(value):
            return value
    return values[-1]


#: Keys whose strings are metadata, not message content.
METADATA_KEYS = frozenset(
    {
        "type", "block_type", "id", "signature", "cache_control", "annotations", "index",
        "status", "response_metadata", "usage_metadata", "logprobs", "finish_reason",
        "finishReason", "refusal", "example", "invalid_tool_calls", "thoughtSignature",
        "thought_signature", "media_type", "mime_type", "mimeType", "image_mimetype", "detail",
        "format", "model", "stop_reason", "stop_sequence", "usage",
    }
)  # fmt: skip

_SURROGATE = re.compile("[\ud800-\udfff]")


def strings_in(value: Any, skip_metadata: bool) -> list[str]:
    """Every string under a value, in order (iterative, never fails on depth)."""
    out: list[str] = []
    append = out.append
    stack = [value]
    pop = stack.pop
    extend = stack.extend
    skip = METADATA_KEYS if skip_metadata else frozenset()
    while stack:
        item = pop()
        kind = type(item)  # the JSON types first, by identity: the walk's hot path
        if kind is str:
            append(item)
        elif kind is dict and not any(map(str.isdigit, item)):  # js_keys is insertion order
            values = [v for key, v in item.items() if key not in skip]
            values.reverse()
            extend(values)
        elif kind is list:
            extend(reversed(item))
        elif isinstance(item, str):
            append(item)
        elif isinstance(item, list):
            extend(reversed(item))
        elif isinstance(item, dict):
            values = [item[key] for key in js_keys(item) if key not in skip]
            values.reverse()
            extend(values)
    return out


def js_string(value: Any) -> str:
    """``String(value)`` for a JSON value."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, list):
        return ",".join("" if nullish(item) else js_string(item) for item in value)
    return "[object Object]"


def value_text(value: Any) -> str:
    """Text of a value, as ``valueText`` (src/trace/format.ts) writes it unindented."""
    if isinstance(value, str):
        return value
    if value is UNDEFINED:
        return ""
    try:
        return stringify(value)
    except (RecursionError, TypeError):
        return js_string(value)


def result_text(value: Any) -> str:
    """Text of a tool result's content: strings joined, records as JSON."""
    if isinstance(value, list):
        return "\n".join(
            item["text"]
            if isinstance(item, dict) and isinstance(item.get("text"), str)
            else value_text(item["json"])
            if isinstance(item, dict) and "json" in item
            else value_text(item)
            for item in value
        )
    return value_text(value)


def leftovers(record: dict, used: list[str] | tuple[str, ...]) -> list[dict]:
    """Text parts for the strings of ``record`` under keys not in ``used``.

    ``__proto__`` is left out: TypeScript's ``rest[key] = value`` sets the
    prototype there, not a key.
    """
    rest = {
        key: record[key]
        for key in js_keys(record)
        if key not in used and key not in METADATA_KEYS and key != "__proto__"
    }
    if not rest:  # as most items: every key read or metadata
        return []
    return [{"kind": "text", "text": text} for text in strings_in(rest, True) if text != ""]


def includes(text: str, search: str) -> bool:
    """``text.includes(search)``, on UTF-16 code units as JavaScript compares them."""
    if not (_SURROGATE.search(search) or _SURROGATE.search(text)):
        return search in text
    units = text.encode("utf-16-le", "surrogatepass")
    wanted = search.encode("utf-16-le", "surrogatepass")
    at = units.find(wanted)
    while at >= 0 and at % 2 == 1:  # half a code unit: not a match in UTF-16
        at = units.find(wanted, at + 1)
    return at >= 0


def _part_strings(part: dict) -> list[str]:
    """The strings a part shows (a DSPy section with its marker, as written)."""
    kind = part["kind"]
    if kind == "text":
        heading = part.get("heading")
        return [f"[[ ## {heading} ## ]]{part['text']}" if heading is not None else part["text"]]
    if kind == "image":
        return [part["url"]]
    if kind == "toolCall":
        return [part.get("id", ""), part["name"], part["arguments"]]
    if kind == "toolResult":
        return [part.get("callId", ""), part.get("name", ""), part["text"]]
    return [part["text"]]  # reasoning, note


def _escaped(text: str) -> str:
    """``JSON.stringify(text)`` without its quotes: how JSON writes a string
    (``text`` itself when JSON escapes nothing in it)."""
    out = encode_basestring(text)  # json_string's, less its surrogate check
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a surrogate: escaped when lone
            return json_string(text)[1:-1]
    return text if len(out) == len(text) + 2 else out[1:-1]


# Characters searched past the end of the string found before (separators).
_WINDOW = 64
# Strings left after the quick checks that are searched one by one.
_DIRECT_MAX = 8


def _unsure(texts: list[str], shown: list[str], joined: str) -> list[str]:
    """The strings of ``texts`` the quick checks cannot tell shown. Each
    check is sufficient (a substring in code points is one in UTF-16 code
    units), so their order changes only which one decides, never the
    answer; the cheap ones come first:

    - a part string itself;
    - found in ``joined`` just past the string found before it, as written,
      or JSON-escaped within one part string (as a tool result written as
      JSON holds the strings of the value, in order);
    - a JSON literal in a part string, as written or escaped (the literals
      are only gathered when a string gets this far).
    """
    exact = set(shown)
    ends = list(accumulate(map(len, shown)))  # where each part string ends in joined
    literals: set[str] | None = None
    cursor = 0
    out = []
    for text in texts:
        if text in exact:
            continue
        at = joined.find(text, cursor, cursor + len(text) + _WINDOW)
        if at >= 0:
            cursor = at + len(text)
            continue
        escape = _escaped(text)
        if escape is not text:
            at = joined.find(escape, cursor, cursor + len(escape) + _WINDOW)
            if at >= 0 and at + len(escape) <= ends[bisect_right(ends, at)]:
                cursor = at + len(escape)
                continue
        if literals is None:
            literals = {literal for s in shown for literal in quoted_literals(s)}
        if text not in literals and escape not in literals:
            out.append(text)
    return out


def _missing_direct(texts: list[str], shown: list[str], joined: str) -> list[str]:
    """The missing ones of a few unsure strings, searched as the definition says."""
    # Surrogates looked for once: without them code points compare as code units.
    plain = not _SURROGATE.search(joined) and not any(map(_SURROGATE.search, texts))
    holds = operator.contains if plain else includes
    out: list[str] = []
    seen = list(shown)
    for text in texts:
        escape = _escaped(text)
        if not holds(joined, text) and not any(holds(s, text) or holds(s, escape) for s in seen):
            out.append(text)
            seen.append(text)
    return out


def _missing_by_automaton(texts: list[str], shown: list[str], joined: str) -> list[str]:
    """The missing ones of many unsure strings, in one pass of an automaton."""
    found = Occurrences([p for text in texts for p in (text, _escaped(text))])
    in_joined = bytearray(found.size)
    in_one = bytearray(found.size)
    found.mark(joined, in_joined)
    for s in shown:
        found.mark(s, in_one)
    out: list[str] = []
    for i, text in enumerate(texts):
        raw, escape = found.ends[2 * i], found.ends[2 * i + 1]
        if not (in_joined[raw] or in_one[raw] or in_one[escape]):
            out.append(text)
            found.mark(text, in_one)
    return out


def missing(message: dict, parts: list[dict]) -> list[dict]:
    """Text parts for the strings of a message that no part shows: the safety
    net behind the invariant in __init__.py's docstring. A string counts as
    shown when the parts' strings, joined, hold it, or one of them (or a
    string added here before it) holds it as written or JSON-escaped (tool
    arguments are JSON).

    Linear in the message and its parts: quick sufficient checks first
    (``_unsure``), then the definition itself for what is left, searched
    directly when it is a few strings, else by ``Occurrences``.
    """
    shown = [text for part in parts for text in _part_strings(part)]
    joined = "".join(shown)
    rest = {key: value for key, value in message.items() if key != "role"}
    texts = [text for text in strings_in(rest, True) if text != ""]
    left = _unsure(texts, shown, joined)
    if len(left) <= _DIRECT_MAX:
        lost = _missing_direct(left, shown, joined)
    else:
        lost = _missing_by_automaton(left, shown, joined)
    return [{"kind": "text", "text": text} for text in lost]
