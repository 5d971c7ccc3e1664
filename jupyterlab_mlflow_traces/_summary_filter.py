"""A search_traces filter as QueryTraceMetrics filters, where it has that form.

``search_traces`` reads ``tags.version = 'v2' AND metadata.segment = 'pro'``;
QueryTraceMetrics takes a list of single ``=`` clauses in its own syntax
(``trace.tag.version = 'v2'``, ``trace.metadata.segment = 'pro'``,
``trace.status = 'ERROR'``), ANDed. A conjunction of ``=`` comparisons on
tags, metadata and the status translates; anything else does not, and the
summary is computed over search results instead.

Prefixes and attribute keys match exactly, as MLflow 3.17.2's search_traces
does (``TAGS.x`` and ``attributes.STATUS`` are errors there). Whatever its
prefix, search_traces reads some keys, in any case, as something else
(``SearchTraceUtils._replace_key_to_tag_or_metadata``): ``tags.name`` is the
trace name, ``metadata.run_id`` the source run. Those two translate to the
tag and metadata QueryTraceMetrics reads the same way; ``prompt``, ``text``,
``timestamp``, ``execution_time`` and ``end_time`` do not translate.
Whitespace is only space, tab, CR and LF, the same in the TypeScript twin.
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
_ATTRIBUTE_PREFIXES = ("", "attributes", "attribute", "trace")
# keys search_traces reads as another one, whatever the prefix and case
ALIASES = {
    "name": "trace.tag.`mlflow.traceName`",
    "run_id": "trace.metadata.`mlflow.sourceRun`",
}
UNTRANSLATABLE_ALIASES = {
    "prompt": "the linked prompts",
    "text": "the spans' content",
    "timestamp": "timestamp_ms",
    "execution_time": "execution_time_ms",
    "end_time": "end_time_ms",
}
_WS = "[ \t\r\n]"
# a bare key's parts start with a letter: sqlparse reads tags.a.9 and tags.1e5 as numbers
_NAME = "[A-Za-z_][A-Za-z0-9_]*"
# `key` or a bare key; then =; then a quoted value without its own quote inside
_CLAUSE = re.compile(
    rf"""(?:(?P<prefix>[A-Za-z_]+)\.)?(?:`(?P<quoted>[^`]+)`|(?P<bare>{_NAME}(?:\.{_NAME})*))
        {_WS}*(?P<op>!=|<>|<=|>=|=|<|>|[A-Za-z]+(?:{_WS}+[A-Za-z]+)?){_WS}*
        (?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")""",
    re.VERBOSE,
)
_JOIN = re.compile(rf"{_WS}+(and|or){_WS}+", re.IGNORECASE)
_SAFE_KEY = re.compile(r"[A-Za-z0-9_.\-]+")
_WORD = re.compile(_NAME)
# words sqlparse (0.6.1) reads as SQL even after a dot: tags.from, tags.a.in
_SQL_WORDS = {"as", "case", "from", "in", "using", "values"}


def _sql_word(key: str) -> bool:
    return any(part.lower() in _SQL_WORDS for part in key.split("."))


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
        elif char in " \t\r\n" and (join := _JOIN.match(text, i)):
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
    found = _CLAUSE.fullmatch(text)
    if not found or (found["bare"] is not None and _sql_word(found["bare"])):
        return None, f"QueryTraceMetrics cannot take {text!r}"
    if found["op"] != "=":
        return None, f"QueryTraceMetrics takes only '=', not {found['op']!r} in {text!r}"
    value = found["single"] if found["single"] is not None else found["double"]
    if "'" in value or "\\" in value:
        return None, f"QueryTraceMetrics cannot take the quoted value in {text!r}"
    prefix = found["prefix"] or ""
    key = found["quoted"] if found["quoted"] is not None else found["bare"]
    # search_traces takes an attribute key only as written, a tag or metadata key in any case
    alias = key if prefix in _ATTRIBUTE_PREFIXES else key.lower()
    if prefix in _ATTRIBUTE_PREFIXES or prefix in _PREFIXES:
        if alias in ALIASES:
            return f"{ALIASES[alias]} = '{value}'", ""
        if alias in UNTRANSLATABLE_ALIASES:
            return None, (
                f"QueryTraceMetrics cannot take the key {key!r} in {text!r}: "
                f"search_traces reads it as {UNTRANSLATABLE_ALIASES[alias]}"
            )
    if prefix in _ATTRIBUTE_PREFIXES and key == "status":
        return f"trace.status = '{value}'", ""
    if prefix in _PREFIXES:
        if not _SAFE_KEY.fullmatch(key):
            return None, f"QueryTraceMetrics cannot take the key in {text!r}"
        name = key if _WORD.fullmatch(key) and not _sql_word(key) else f"`{key}`"
        return f"trace.{_PREFIXES[prefix]}.{name} = '{value}'", ""
    return None, f"QueryTraceMetrics filters only tags, metadata and status, not {text!r}"


def translate_filter(filter_string: str | None) -> Translation:
    """QueryTraceMetrics filters for ``filter_string`` (search_traces syntax)."""
    text = (filter_string or "").strip(" \t\r\n")
    if not text:
        return Translation([])
    clauses = _split_and(text)
    if isinstance(clauses, str):
        return Translation(None, clauses)
    filters = []
    for clause in clauses:
        translated, reason = _clause(clause)
        if translated is None:
            return Translation(None, reason)
        filters.append(translated)
    return Translation(filters)


def equals_filter(entity: str, key: str, value: str) -> str | None:
    """The QueryTraceMetrics filter ``{entity}.{key} = 'value'`` (entity
    ``trace.tag``, ``trace.metadata`` or ``span``), or None where its syntax
    cannot say it (an odd key, a quote or backslash in the value)."""
    if "'" in value or "\\" in value or not _SAFE_KEY.fullmatch(key):
        return None
    name = key if _WORD.fullmatch(key) and not _sql_word(key) else f"`{key}`"
    return f"{entity}.{name} = '{value}'"
