"""The budgets a summary payload breaks: a pure function of the payload.

Order: the whole query first (its range, then each bucket ascending, each
with error_rate, latency_p90_ms, cost_per_trace in that order; then the span
budgets in the order given), then each segment's range (trace budgets only).
A figure strictly greater than its limit breaks it; values are rounded to 6
decimals.
"""

from __future__ import annotations

from datetime import datetime, timezone

_TRACE_BUDGETS = ("error_rate", "latency_p90_ms", "cost_per_trace")


def _trace_value(budget: str, figures: dict) -> float | None:
    traces = figures["traces"]
    if budget == "error_rate":
        return figures["errors"] / traces if traces > 0 else None
    if budget == "latency_p90_ms":
        latency = figures["latency_ms"]
        return latency["p90"] if latency else None
    total = (figures.get("cost") or {}).get("total")
    return total / traces if traces > 0 and total is not None else None


def _trace_violations(budgets: dict, figures: dict, where: dict) -> list[dict]:
    out = []
    for budget in _TRACE_BUDGETS:
        if budget not in budgets:
            continue
        value = _trace_value(budget, figures)
        if value is not None and value > budgets[budget]:
            limit = budgets[budget]
            out.append({"budget": budget, "subject": "traces", **where, "limit": limit,
                        "value": round(value, 6)})  # fmt: skip
    return out


def _span_violations(budgets: dict, spans: dict) -> list[dict]:
    out = []
    for budget in budgets.get("spans", []):
        field = "span_name" if "span_name" in budget else "span_type"
        rows = spans.get("by_name" if field == "span_name" else "by_type", [])
        row = next((r for r in rows if r["key"] == budget[field]), None)
        p90 = row["latency_ms"]["p90"] if row and row["latency_ms"] else None
        if p90 is not None and p90 > budget["p90_ms"]:
            out.append({"budget": "span_p90_ms", "subject": budget[field], "span_field": field,
                        "limit": budget["p90_ms"], "value": round(p90, 6)})  # fmt: skip
    return out


def violations(payload: dict) -> list[dict]:
    """The payload's broken budgets (``query.budgets``), in the order above;
    [] without budgets."""
    budgets = payload["query"].get("budgets") or {}
    out = _trace_violations(budgets, payload["totals"], {})
    for bucket in payload["buckets"]:
        out += _trace_violations(budgets, bucket, {"start_time_ms": bucket["start_time_ms"]})
    out += _span_violations(budgets, payload.get("spans") or {})
    for segment in payload.get("segments", []):
        out += _trace_violations(budgets, segment["totals"], {"segment": segment["value"]})
    return out


def _utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def violation_line(violation: dict, group_by: dict | None = None) -> str:
    """One violation as check() prints it, e.g. ``budget broken: error_rate
    of traces 0.25 > 0.2 in the bucket from 2026-12-01T01:00Z``."""
    where = []
    if "segment" in violation:
        key = f"{group_by['kind']} {group_by['key']}" if group_by else "segment"
        where.append(f"where {key} = {violation['segment']!r}")
    if "start_time_ms" in violation:
        where.append(f"in the bucket from {_utc(violation['start_time_ms'])}")
    else:
        where.append("over the range")
    subject = violation["subject"]
    if "span_field" in violation:
        subject = f"{violation['span_field'].replace('_', ' ')} {subject!r}"
    return (
        f"budget broken: {violation['budget']} of {subject} {violation['value']} > "
        f"{violation['limit']} {' '.join(where)}"
    )
