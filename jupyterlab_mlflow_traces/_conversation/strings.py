"""Python port of src/trace/conversation/strings.ts; kept equal by test_conversation_parity.py.

The strings of a message: walked without recursion, turned into text, and
checked against what its parts show (the net behind "no string is lost").
Also the few JavaScript semantics the readers need beyond ``_js``:
``undefined`` apart from ``null``, ``String(value)`` and ``includes`` on
UTF-16 code units.
"""

from __future__ import annotations

import re
from typing import Any

from .._js import is_number, js_keys, json_string, number_text, stringify


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
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            keys = js_keys(item)
            for key in reversed(keys):
                if not (skip_metadata and key in METADATA_KEYS):
                    stack.append(item[key])
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


def missing(message: dict, parts: list[dict]) -> list[dict]:
    """Text parts for the strings of a message that no part shows: the safety
    net behind the invariant in __init__.py's docstring. A string counts as
    shown when a part holds it, as written or JSON-escaped (tool arguments
    are JSON)."""
    shown = [text for part in parts for text in _part_strings(part)]
    joined = "".join(shown)

    def found(text: str) -> bool:
        if includes(joined, text):
            return True
        escaped = json_string(text)[1:-1]
        return any(includes(s, text) or includes(s, escaped) for s in shown)

    rest = {key: value for key, value in message.items() if key != "role"}
    out: list[dict] = []
    for text in strings_in(rest, True):
        if text != "" and not found(text):
            out.append({"kind": "text", "text": text})
            shown.append(text)
    return out
