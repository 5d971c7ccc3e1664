"""A search_traces filter as QueryTraceMetrics filters, where it has that form.

``search_traces`` reads ``tags.version = 'v2' AND metadata.segment = 'pro'``;
QueryTraceMetrics takes a list of single ``=`` clauses in its own syntax
(``trace.tag.version = 'v2'``, ``trace.metadata.segment = 'pro'``,
``trace.status = 'ERROR'``), ANDed. A conjunction of ``=`` comparisons on
tags, metadata and the status translates; anything else does not, and the
summary is computed over search results instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PREFIXES = {
    "tags": "tag",
    "tag": "tag",
    "metadata": "metadata",
    "request_metadata": "metadata",
}
_STATUS_PREFIXES = ("", "attributes", "attribute", "trace")
# `key` or a bare key; then =; then a quoted value without its own quote inside
_CLAUSE = re.compile(
    r"""^(?:(?P<prefix>[A-Za-z_]+)\.)?(?:`(?P<quoted>[^`]+)`|(?P<bare>[\w.\-]+))
        \s*(?P<op>!=|<>|<=|>=|=|<|>|[A-Za-z]+(?:\s+[A-Za-z]+)?)\s*
        (?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")$""",
    re.VERBOSE,
)
_JOIN = re.compile(r"\s+(and|or)\s+", re.IGNORECASE)
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\-]+$")


@dataclass
class Translation:
    """The QueryTraceMetrics filters of a search filter, or why there are none."""

    filters: list[str] | None
    reason: str | None = None


def _split_and(text: str) -> list[str] | str:
    """The clauses of ``a AND b AND c``, split outside quotes; or why not
    (an OR joins clauses, a quote is left open)."""
    clauses: list[str] = []
    start, quote, i = 0, None, 0
    while i < len(text):
        char = text[i]
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char.isspace() and (join := _JOIN.match(text, i)):
            if join[1].lower() == "or":
                return "QueryTraceMetrics takes only AND of '=' comparisons, not OR"
            clauses.append(text[start:i])
            start = i = join.end()
            continue
        i += 1
    if quote is not None:
        return f"QueryTraceMetrics cannot take a filter whose {quote} quote is left open"
    clauses.append(text[start:])
    return clauses


def _clause(text: str) -> tuple[str | None, str]:
    """One ``=`` comparison as a QueryTraceMetrics filter, or (None, why not)."""
    found = _CLAUSE.match(text)
    if not found:
        return None, f"QueryTraceMetrics cannot take {text!r}"
    if found["op"] != "=":
        return None, f"QueryTraceMetrics takes only '=', not {found['op']!r} in {text!r}"
    value = found["single"] if found["single"] is not None else found["double"]
    if "'" in value or "\\" in value:
        return None, f"QueryTraceMetrics cannot take the quoted value in {text!r}"
    prefix = (found["prefix"] or "").lower()
    key = found["quoted"] if found["quoted"] is not None else found["bare"]
    if prefix in _STATUS_PREFIXES and key.lower() == "status":
        return f"trace.status = '{value}'", ""
    if prefix in _PREFIXES:
        if not _SAFE_KEY.match(key):
            return None, f"QueryTraceMetrics cannot take the key in {text!r}"
        name = key if re.fullmatch(r"\w+", key) else f"`{key}`"
        return f"trace.{_PREFIXES[prefix]}.{name} = '{value}'", ""
    return None, f"QueryTraceMetrics filters only tags, metadata and status, not {text!r}"


def translate_filter(filter_string: str | None) -> Translation:
    """QueryTraceMetrics filters for ``filter_string`` (search_traces syntax)."""
    if filter_string is None or not filter_string.strip():
        return Translation([])
    clauses = _split_and(filter_string.strip())
    if isinstance(clauses, str):
        return Translation(None, clauses)
    filters = []
    for clause in clauses:
        translated, reason = _clause(clause)
        if translated is None:
            return Translation(None, reason)
        filters.append(translated)
    return Translation(filters)
