"""Shortening of long strings in span dicts, for the output size budget.

The same algorithm and marker as ``src/bundle/shorten.ts``: a long string
holding JSON (MLflow JSON-encodes attribute values) is decoded, its inner
strings are shortened and it is re-encoded, so it stays valid JSON; any
other long string is cut and ends with ``… [truncated N chars]``. Lengths
are UTF-16 code units, as JavaScript counts them.

#### Notes
Integers beyond 2^53 inside a re-encoded value stay exact here, where
``JSON.parse`` in the TypeScript encoder rounds them.
"""

from __future__ import annotations

import re
from typing import Any

from ._format import format_count
from ._js import cut_string, js_keys, parse_json, stringify, u16_len

#: Matches the marker that ends a shortened string.
TRUNCATION_MARKER_RE = re.compile(r"… \[truncated [\d,]+ chars\]\Z", re.ASCII)

# Nesting (objects, lists and JSON-in-string layers) beyond which values are kept as is
_MAX_DEPTH = 100
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_JS_SPACE += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def truncation_marker(removed_chars: int) -> str:
    """The marker appended to a string that lost ``removed_chars`` characters."""
    return f"… [truncated {format_count(removed_chars)} chars]"


_MAX_SAFE_INTEGER = 2**53 - 1


def _holds_unsafe_int(value: Any) -> bool:
    """True when a parsed JSON value holds an int beyond 2^53 anywhere (no recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and abs(item) > _MAX_SAFE_INTEGER:
            return True
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return False


class _Walk:
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.shortened = 0

    def string(self, text: str, depth: int) -> str:
        if u16_len(text) <= self.max_chars:
            return text
        if depth < _MAX_DEPTH and text.lstrip(_JS_SPACE)[:1] in ("{", "[", '"'):
            try:
                decoded = parse_json(text)
            except ValueError:
                pass
            else:
                if _holds_unsafe_int(decoded):
                    # as the TypeScript encoder: JavaScript could not re-encode it exactly
                    return self._cut(text)
                before = self.shortened
                inner = self.value(decoded, depth + 1)
                return text if self.shortened == before else stringify(inner)
        return self._cut(text)

    def _cut(self, text: str) -> str:
        kept = cut_string(text, self.max_chars)
        self.shortened += 1
        return kept + truncation_marker(u16_len(text) - u16_len(kept))

    def value(self, value: Any, depth: int) -> Any:
        if isinstance(value, str):
            return self.string(value, depth)
        if depth >= _MAX_DEPTH:
            return value
        if isinstance(value, list):
            return [self.value(item, depth + 1) for item in value]
        if isinstance(value, dict):
            return {key: self.value(value[key], depth + 1) for key in js_keys(value)}
        return value


def shorten_spans(spans: list, max_chars: int) -> tuple[list, int]:
    """Copies of the span dicts with every string longer than ``max_chars``
    shortened, and how many strings were cut. The input is not modified."""
    walk = _Walk(max_chars)
    out = [walk.value(span, 0) for span in spans]
    return out, walk.shortened
