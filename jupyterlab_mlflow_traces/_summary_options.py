"""The options a summary takes beyond its range: ``group_by`` (a tag or a
metadata key, in search_traces syntax) and ``budgets`` (limits that
``check()`` reports). Each bad value is a ValueError naming what was wrong.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ._summary_filter import _NAME

#: group_by prefixes, as search_traces spells them (exact case), and the payload's kind.
GROUP_BY_PREFIXES = {
    "tags": "tag",
    "tag": "tag",
    "metadata": "metadata",
    "request_metadata": "metadata",
}
_GROUP_BY = re.compile(
    rf"(?P<prefix>[A-Za-z_]+)\.(?:`(?P<quoted>[^`]+)`|(?P<bare>{_NAME}(?:\.{_NAME})*))"
)
_GROUP_BY_HINT = (
    "write a tag or metadata key as in search_traces: 'tags.version', 'metadata.segment'"
)
#: Trace budgets and their bounds; "spans" holds the span budgets.
TRACE_BUDGETS = {"error_rate": 1.0, "latency_p90_ms": math.inf, "cost_per_trace": math.inf}
SPAN_FIELDS = ("span_name", "span_type")


def parse_group_by(group_by: Any) -> dict:
    """``{"kind": "tag"|"metadata", "key": ...}`` of ``tags.version``,
    ``tag.version``, ``metadata.segment``, ``request_metadata.segment`` or a
    backquoted key (``tags.`my key```)."""
    if not isinstance(group_by, str):
        raise ValueError(f"group_by {group_by!r}: {_GROUP_BY_HINT}")
    found = _GROUP_BY.fullmatch(group_by.strip(" \t\r\n"))
    if not found:
        raise ValueError(f"group_by {group_by!r}: {_GROUP_BY_HINT}")
    if found["prefix"] not in GROUP_BY_PREFIXES:
        raise ValueError(
            f"group_by {group_by!r}: {found['prefix']!r} is not a tag or metadata prefix "
            f"({', '.join(GROUP_BY_PREFIXES)}); {_GROUP_BY_HINT}"
        )
    key = found["quoted"] if found["quoted"] is not None else found["bare"]
    return {"kind": GROUP_BY_PREFIXES[found["prefix"]], "key": key}


def _limit(value: Any, where: str, most: float) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where} = {value!r}: a finite number")
    if not 0 <= value <= most:
        bound = "between 0 and 1" if most == 1 else "at least 0"
        raise ValueError(f"{where} = {value!r}: a number {bound}")
    return value


def _span_budget(budget: Any, where: str) -> dict:
    if not isinstance(budget, dict):
        example = "{'span_name': 'llm', 'p90_ms': 500}"
        raise ValueError(f"{where} = {budget!r}: a dict such as {example}")
    unknown = [key for key in budget if key not in (*SPAN_FIELDS, "p90_ms")]
    if unknown:
        raise ValueError(
            f"{where}: unknown key {unknown[0]!r}; a span budget has span_name or span_type, "
            "and p90_ms"
        )
    fields = [field for field in SPAN_FIELDS if field in budget]
    if len(fields) != 1:
        raise ValueError(f"{where}: give exactly one of span_name and span_type, not {len(fields)}")
    name = budget[fields[0]]
    if not isinstance(name, str) or not name:
        raise ValueError(f"{where}['{fields[0]}'] = {name!r}: a non-empty string")
    if "p90_ms" not in budget:
        raise ValueError(f"{where}: p90_ms is missing")
    return {fields[0]: name, "p90_ms": _limit(budget["p90_ms"], f"{where}['p90_ms']", math.inf)}


def check_budgets(budgets: Any) -> dict:
    """The budgets as the payload writes them (query.budgets); ValueError
    naming an unknown key or a bad value."""
    if not isinstance(budgets, dict):
        raise ValueError(
            f"budgets {budgets!r}: a dict such as {{'error_rate': 0.05, 'latency_p90_ms': 2000}}"
        )
    known = [*TRACE_BUDGETS, "spans"]
    out: dict = {}
    for key, value in budgets.items():
        if key in TRACE_BUDGETS:
            out[key] = _limit(value, f"budgets[{key!r}]", TRACE_BUDGETS[key])
        elif key == "spans":
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"budgets['spans'] = {value!r}: a list of span budgets")
            out["spans"] = [
                _span_budget(budget, f"budgets['spans'][{i}]") for i, budget in enumerate(value)
            ]
        else:
            raise ValueError(f"budgets: unknown key {key!r}; the budgets are {', '.join(known)}")
    return out
