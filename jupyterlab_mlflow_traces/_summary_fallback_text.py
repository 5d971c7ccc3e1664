"""The trace summary's figures as text, shared by its text/plain and
text/html fallbacks; byte for byte as ``src/bundle/summarytext.ts``.

#### Notes
Numbers go through ``format_count``, ``format_duration_ms``, ``js_round``
and ``to_precision_number`` only, the JavaScript semantics the TypeScript
twin relies on.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

from ._format import format_count, format_duration_ms, one_line
from ._js import ellipsize, is_number, js_round, json_string, number_text, to_precision_number

_LAST_MS = 253402300799999  # 9999-12-31T23:59:59.999Z
#: Longest segment value, assessment name or span key shown, in UTF-16 code units.
MAX_LABEL_CHARS = 60
_BUDGET_NAMES = {"error_rate": "error rate", "latency_p90_ms": "latency p90",
                 "cost_per_trace": "cost per trace", "span_p90_ms": "p90"}  # fmt: skip


def finite(value: Any) -> bool:
    """``typeof value === 'number' && Number.isFinite(value)``."""
    return is_number(value) and math.isfinite(value)


def or_else(value: Any, default: Any) -> Any:
    """``value ?? default``."""
    return default if value is None else value


def utc_text(ms: int, seconds: bool = False, millis: bool = False) -> str:
    """``2026-12-01 00:00`` (``:00``, ``.000`` when asked), UTC; out of range as ms."""
    if not 0 <= ms <= _LAST_MS:
        return f"{ms} ms"
    when = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    text = f"{when:%Y-%m-%d %H:%M}"
    if seconds or millis:
        text += f":{when:%S}"
    return text + (f".{ms % 1000:03d}" if millis else "")


def percent_text(ratio: float) -> str:
    """A ratio as a percentage with one decimal: ``33.3%``."""
    return f"{number_text(js_round(ratio * 1000) / 10)}%"


def error_text(figures: dict) -> str:
    """``1 (33.3%)``: errors and their share of the traces."""
    traces, errors = figures.get("traces", 0), figures.get("errors", 0)
    if not traces:
        return format_count(errors)
    return f"{format_count(errors)} ({percent_text(errors / traces)})"


def money_text(value: Any) -> str:
    """US dollars: cents from $1 up, else three significant digits; '–' when unknown."""
    if not finite(value):
        return "–"
    if abs(value) >= 1:
        return f"${number_text(js_round(value * 100) / 100)}"
    return f"${number_text(to_precision_number(value, 3))}"


def mean_text(value: Any) -> str:
    """A mean or score, three significant digits; '–' when unknown."""
    return number_text(to_precision_number(value, 3)) if finite(value) else "–"


def share_text(value: Any) -> str:
    """A share (0..1) as a percentage; '–' when unknown."""
    return percent_text(value) if finite(value) else "–"


def latency_text(figures: dict, name: str) -> str:
    latency = figures.get("latency_ms")
    return format_duration_ms(latency.get(name)) if isinstance(latency, dict) else "–"


def tokens_text(figures: dict, name: str) -> str:
    count = (figures.get("tokens") or {}).get(name)
    return "–" if count is None else format_count(count)


def cost_of(figures: dict) -> float | None:
    """The total cost of a bucket or range, or None."""
    cost = figures.get("cost")
    return cost["total"] if isinstance(cost, dict) and finite(cost.get("total")) else None


def label(text: Any, max_chars: int = MAX_LABEL_CHARS) -> str:
    """A string from the payload on one line, cut to ``max_chars`` characters."""
    return ellipsize(one_line(str(text)), max_chars)


def segment_text(value: Any) -> str:
    """A segment's value as shown: quoted, or ``(no value)`` for traces without the key."""
    return json_string(label(value)) if isinstance(value, str) else "(no value)"


def group_by_text(group_by: dict) -> str:
    """``tag version`` or ``metadata segment``: what the segments are values of."""
    kind = "metadata" if group_by.get("kind") == "metadata" else "tag"
    return f"{kind} {label(or_else(group_by.get('key'), ''))}"


def budget_value_text(budget: Any, value: Any) -> str:
    """A limit or a measured value in its budget's unit."""
    if not finite(value):
        return "–"
    if budget == "error_rate":
        return percent_text(value)
    return money_text(value) if budget == "cost_per_trace" else format_duration_ms(value)


def budget_name(budget: Any) -> str:
    """``error rate``, ``latency p90``…: a budget's name as shown."""
    return _BUDGET_NAMES.get(str(budget)) or label(budget)


def subject_text(violation: dict) -> str:
    """``traces``, or ``span name "retrieve"`` / ``span type "LLM"``."""
    if violation.get("budget") != "span_p90_ms":
        return label(or_else(violation.get("subject"), "traces"))
    field = "type" if violation.get("span_field") == "span_type" else "name"
    return f"span {field} {json_string(label(or_else(violation.get('subject'), '')))}"


def where_text(violation: dict, interval_s: int) -> str:
    """Where a violation happened: the bucket's time or ``whole range``, and the segment."""
    start = violation.get("start_time_ms")
    when = utc_text(start, seconds=interval_s % 60 != 0) if finite(start) else "whole range"
    if "segment" not in violation:
        return when
    return f"{when}, segment {segment_text(violation['segment'])}"


def violation_text(violation: dict, interval_s: int) -> str:
    """One line per violation: ``latency p90 of traces 925 ms > 800 ms (2026-12-01 01:00)``."""
    budget = violation.get("budget")
    value = budget_value_text(budget, violation.get("value"))
    limit = budget_value_text(budget, violation.get("limit"))
    return (f"{budget_name(budget)} of {subject_text(violation)} {value} > {limit}"
            f" ({where_text(violation, interval_s)})")  # fmt: skip


def budgets_text(budgets: dict) -> str:
    """``latency p90 ≤ 800 ms, span name "retrieve" p90 ≤ 150 ms``: the budgets asked for."""
    parts = []
    for name in ("error_rate", "latency_p90_ms", "cost_per_trace"):
        if finite(budgets.get(name)):
            parts.append(f"{budget_name(name)} ≤ {budget_value_text(name, budgets[name])}")
    for span in budgets.get("spans") if isinstance(budgets.get("spans"), list) else []:
        if isinstance(span, dict):
            subject = subject_text({
                "budget": "span_p90_ms",
                "subject": span["span_name"] if span.get("span_name") is not None
                else span.get("span_type"),
                "span_field": "span_type" if "span_type" in span else "span_name",
            })  # fmt: skip
            parts.append(f"{subject} p90 ≤ {budget_value_text('span_p90_ms', span.get('p90_ms'))}")
    return ", ".join(parts)
