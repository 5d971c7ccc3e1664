"""Where time and cost go: span cost (MLflow's ``mlflow.llm.cost`` span
attribute) and the rows of span names and span types, from the spans the
search path downloads, and the rows' shape and ranking both paths share.

MLflow's SPANS view counts and times the spans of the traces in range (by
the trace's request time) but bounds and buckets cost by each span's start
time; so does this. A span's duration is ``(end_ns - start_ns) / 1e6`` ms.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from ._summary_quality import rounded

#: The payload's cost names, and the keys of MLflow's span cost.
COST_KEYS = {"input": "input_cost", "output": "output_cost", "total": "total_cost"}
#: Most rows of span names (and of span types) a summary ranks.
MAX_SPAN_ROWS = 12
COST_DIGITS, SHARE_DIGITS, MS_DIGITS = 9, 6, 3
_NS_PER_MS = 1_000_000


def span_cost(span: Any) -> dict[str, float | None]:
    """A span's recorded cost components (finite numbers), as the server
    stores them in its cost columns; None where not recorded."""
    try:
        cost = span.get_attribute("mlflow.llm.cost")
    except (ValueError, TypeError):
        return dict.fromkeys(COST_KEYS)
    if isinstance(cost, str):
        try:
            cost = json.loads(cost)
        except ValueError:
            return dict.fromkeys(COST_KEYS)
    if not isinstance(cost, dict):
        return dict.fromkeys(COST_KEYS)
    return {name: _finite(cost.get(key)) for name, key in COST_KEYS.items()}


def _finite(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def cost_figures(sums: dict[str, float | None]) -> dict:
    """The payload's cost of summed components, rounded to COST_DIGITS."""
    return {name: rounded(sums.get(name), COST_DIGITS) for name in COST_KEYS}


def add_cost(sums: dict[str, float | None], cost: dict[str, float | None]) -> None:
    for name, value in cost.items():
        if value is not None:
            sums[name] = (sums[name] or 0.0) + value


def span_start_ms(span: Any) -> int:
    return int(span.start_time_ns) // _NS_PER_MS


@dataclass
class RowStats:
    """The spans of one name or type (the search path)."""

    count: int = 0
    errors: int = 0
    durations: list[float] = field(default_factory=list)
    cost: float | None = None

    def add(self, span: Any, in_range: bool) -> None:
        """Counts and times ``span``; its cost only when it starts ``in_range``."""
        self.count += 1
        status = getattr(span.status, "status_code", None)
        self.errors += str(getattr(status, "value", status)) == "ERROR"
        if span.end_time_ns is not None:
            self.durations.append((int(span.end_time_ns) - int(span.start_time_ns)) / 1e6)
        total = span_cost(span)["total"] if in_range else None
        if total is not None:
            self.cost = (self.cost or 0.0) + total

    @property
    def avg_ms(self) -> float | None:
        return math.fsum(self.durations) / len(self.durations) if self.durations else None


def total_ms(avg_ms: float | None, count: int) -> float | int:
    """Time spent in the spans: their mean duration times their count (as the server's AVG)."""
    return rounded(avg_ms * count, MS_DIGITS) if avg_ms is not None else 0


def pick_keys(totals: dict[str, float], budgeted: list[str]) -> list[str]:
    """The MAX_SPAN_ROWS keys of most total_ms (ties: key ascending), then
    each budgeted key not among them, in the budgets' order."""
    ranked = sorted(totals, key=lambda key: (-totals[key], key))[:MAX_SPAN_ROWS]
    for key in budgeted:
        if key not in ranked:
            ranked.append(key)
    return ranked


def span_row(
    key: str,
    count: int,
    errors: int,
    total: float,
    latency: dict | None,
    cost: float | None,
    trace_time_ms: float | None,
    total_cost: float | None,
) -> dict:
    """One row; ``total`` and ``cost`` already rounded; shares from the
    rounded figures, themselves rounded to SHARE_DIGITS."""
    share_time = total / trace_time_ms if trace_time_ms else None
    share_cost = cost / total_cost if cost is not None and total_cost else None
    return {
        "key": key,
        "count": count,
        "errors": errors,
        "total_ms": total,
        "share_time": rounded(share_time, SHARE_DIGITS),
        "latency_ms": latency,
        "cost": cost,
        "share_cost": rounded(share_cost, SHARE_DIGITS),
    }


def search_rows(
    stats: dict[str, RowStats],
    budgeted: list[str],
    trace_time_ms: float | None,
    total_cost: float | None,
) -> list[dict]:
    """The rows of the search path's span stats."""
    from ._summary_search import latency_figures

    totals = {key: total_ms(s.avg_ms, s.count) for key, s in stats.items()}
    rows = []
    for key in pick_keys(totals, budgeted):
        s = stats.get(key, RowStats())
        latency = latency_figures(s.durations)
        latency = {"p50": latency["p50"], "p90": latency["p90"]} if latency else None
        cost = rounded(s.cost, COST_DIGITS) if total_cost is not None else None
        rows.append(
            span_row(key, s.count, s.errors, totals.get(key, 0), latency, cost,
                     trace_time_ms, total_cost)
        )  # fmt: skip
    return rows
