"""What a search_traces filter and its QueryTraceMetrics translation mean to
MLflow's own parsers, and generated filters to compare them on.

``SearchTraceUtils.parse_search_filter_for_search_traces`` is the parser of
search_traces (with its key rewriting: ``name`` is the tag
``mlflow.traceName`` …); ``SearchTraceMetricsUtils.parse_search_filter`` is
the one QueryTraceMetrics applies to each of its filters
(mlflow/store/tracking/utils/sql_trace_metrics_utils.py). A translation
means the same when both give the same (type, key, comparator, value) list.
"""

from __future__ import annotations

import random

from mlflow.utils.search_utils import SearchTraceMetricsUtils, SearchTraceUtils

_ENTITY_TYPES = {"tag": "tag", "metadata": "request_metadata"}


def search_meaning(filter_string: str | None) -> list[tuple]:
    """(type, key, comparator, value) of each clause as search_traces reads
    them; raises MlflowException where search_traces rejects the filter."""
    if filter_string is None or not filter_string.strip(" \t\r\n"):
        return []
    parsed = SearchTraceUtils.parse_search_filter_for_search_traces(filter_string)
    return [(p["type"], p["key"], p["comparator"], p["value"]) for p in parsed]


def metrics_meaning(filters: list[str]) -> list[tuple]:
    """The same of QueryTraceMetrics filters, as its parser reads them."""
    out = []
    for text in filters:
        parsed = SearchTraceMetricsUtils.parse_search_filter(text)
        assert parsed.view_type == "trace", text
        if parsed.entity == "status":
            out.append(("attribute", "status", parsed.comparator, parsed.value))
        else:
            out.append((_ENTITY_TYPES[parsed.entity], parsed.key, parsed.comparator, parsed.value))
    return out


def meaning_problem(filter_string: str | None, filters: list[str] | None) -> str | None:
    """Why ``filters`` is a wrong translation of ``filter_string``, or None.
    A refusal (None) is never wrong; a translation is wrong where
    search_traces rejects the filter or reads it otherwise."""
    if filters is None:
        return None
    try:
        want = search_meaning(filter_string)
    except Exception as error:  # noqa: BLE001 - MlflowException and sqlparse's own
        return f"{filter_string!r} translates to {filters} but search_traces rejects it: {error}"
    try:
        got = metrics_meaning(filters)
    except Exception as error:  # noqa: BLE001
        return (
            f"{filter_string!r} translates to {filters}, which QueryTraceMetrics rejects: {error}"
        )
    if got != want:
        return f"{filter_string!r} means {want} to search_traces but {filters} mean {got}"
    return None


_ALIAS_KEYS = ["name", "run_id", "prompt", "text", "timestamp", "execution_time", "end_time"]
_PREFIXES = [
    *["", "tags.", "tag.", "metadata.", "request_metadata."] * 3,
    *["attributes.", "attribute.", "trace.", "span.", "feedback."],
    *["TAGS.", "Tags.", "Metadata.", "ATTRIBUTES.", "Trace.", "params."],
]
_KEY_CHARS = "abZ09_.-é \n`'"
_KEYWORDS = [
    "select",
    "and",
    "or",
    "null",
    "not",
    "is",
    "like",
    "in",
    "from",
    "true",
    "e1",
    "as",
    "case",
    "using",
    "values",
]
_OPS = ["=", "=", "=", "=", "=", "=", "!=", "LIKE", "like", "<", "IS"]
_VALUES = [
    *["'v'", '"v"', "'OK'", "'ERROR'", "''", "'a AND b'", "'x\ny'", "'ä'", '"a.b"', "'a b'"],
    *["'it''s'", "'a\\b'", "'a\"b'", '"a\'b"', "v", "5", "'%'"],
]
_SPACES = [" ", " ", "", "\t", "\n", "\r\n", "\x1c", "\ufeff", "\xa0", "  "]
_JOINS = [" AND ", " and ", " AnD ", " OR ", "\tAND\n", "\x1cAND ", " AND\x1f", " &", "AND "]


def _case(rng: random.Random, word: str) -> str:
    return rng.choice(
        [
            word,
            word.upper(),
            word.title(),
            "".join(c.upper() if rng.random() < 0.5 else c for c in word),
        ]
    )


def _key(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        key = _case(rng, rng.choice(_ALIAS_KEYS))
    elif roll < 0.45:
        key = _case(rng, "status")
    elif roll < 0.55:
        key = rng.choice(["mlflow.traceName", "mlflow.trace.session", "mlflow.sourceRun"])
    elif roll < 0.65:
        key = _case(rng, rng.choice(_KEYWORDS))
    elif roll < 0.75:
        key = rng.choice(["version", "segment", "a", "a.b", "x_1", "_a"])
    else:
        key = "".join(rng.choice(_KEY_CHARS) for _ in range(rng.randint(1, 6)))
    return f"`{key}`" if rng.random() < 0.25 else key


def _clause(rng: random.Random) -> str:
    space = rng.choice(_SPACES) if rng.random() < 0.3 else " "
    return (
        f"{rng.choice(_PREFIXES)}{_key(rng)}{space}{rng.choice(_OPS)}{space}{rng.choice(_VALUES)}"
    )


def generated_filters(seed: int, count: int) -> list[str]:
    """``count`` filters of one to three clauses: every prefix in several
    cases, the keys search_traces rewrites in several cases, odd keys,
    operators, values, whitespace and joins; the same for the same seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = _clause(rng)
        for _ in range(rng.choice([0, 0, 1, 2])):
            text += rng.choice(_JOINS) + _clause(rng)
        if rng.random() < 0.1:
            text = rng.choice(_SPACES) + text + rng.choice(_SPACES)
        out.append(text)
    return out
