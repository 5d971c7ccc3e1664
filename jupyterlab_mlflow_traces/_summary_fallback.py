"""The static text/html and text/plain fallbacks of a trace summary, byte
for byte as ``src/bundle/summaryfallback.ts`` writes them.

``text/plain`` is a table: a caption, the totals, one line per bucket, the
segments' totals, the budgets and what broke them, then who computed it.
``text/html`` writes the budgets and violations first, then inline SVG
charts (traces and errors per bucket as bars; latency p50/p90/p99 as lines;
cost as bars; each budget as a line, the per-trace ones as a step per bucket;
a band under each bucket that broke a budget), the same table, the segments
side by side, quality per assessment name (``_summary_fallback_sections``)
and where time and cost go (``_summary_fallback_spans``), all with the
escaping builder: every string from the payload is escaped text, every SVG
attribute a number or a constant, no link.

#### Notes
Deterministic for the TypeScript port: coordinates are integers (integer
division of integers, or ``js_round`` of one float expression), numbers are
written with ``number_text``/``format_count``/``format_duration_ms``.
"""

from __future__ import annotations

from ._format import format_count, format_duration_ms, one_line, plural
from ._html import CLS
from ._js import ellipsize, json_string, u16_len
from ._summary_fallback_charts import (
    Budget,
    Marks,
    SvgWriter,
    write_cost_chart,
    write_count_chart,
    write_latency_chart,
)
from ._summary_fallback_sections import (
    MAX_VIOLATION_LINES,
    budgets_line,
    more_text,
    segment_lines,
    violations_of,
    write_quality,
    write_segments,
    write_violations,
)
from ._summary_fallback_spans import write_spans
from ._summary_fallback_text import (
    error_text,
    finite,
    group_by_text,
    latency_text,
    money_text,
    or_else,
    percent_text,
    tokens_text,
    utc_text,
    violation_text,
)

_COLUMNS = ["Time (UTC)", "Traces", "Errors", "p50", "p90", "p99",
            "Input tokens", "Output tokens", "Cache read", "Cache write"]  # fmt: skip
_TOKENS = ["input", "output", "cache_read", "cache_write"]
_PERCENTILES = ["p50", "p90", "p99"]
_MAX_FILTER_CHARS = 200


def interval_text(seconds: int) -> str:
    """``1 d``, ``6 h``, ``15 min`` or ``90 s``: the largest unit it is a whole number of."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


def _has_cost(payload: dict) -> bool:
    """True when the payload carries cost (the Cost column and chart)."""
    totals = payload.get("totals")
    return isinstance(totals, dict) and isinstance(totals.get("cost"), dict)


def _columns(payload: dict) -> list[str]:
    return [*_COLUMNS, "Cost"] if _has_cost(payload) else _COLUMNS


def _cells(label: str, figures: dict, cost: bool) -> list[str]:
    row = [
        label,
        format_count(figures.get("traces", 0)),
        error_text(figures),
        *(latency_text(figures, name) for name in _PERCENTILES),
        *(tokens_text(figures, name) for name in _TOKENS),
    ]
    if cost:
        spent = figures.get("cost")
        row.append(money_text(spent.get("total") if isinstance(spent, dict) else None))
    return row


def _bucket_label(bucket: dict, interval_s: int) -> str:
    return utc_text(bucket.get("start_time_ms", 0), seconds=interval_s % 60 != 0)


def _caption(payload: dict) -> str:
    query = payload.get("query") or {}
    parts = [f"experiments {', '.join(one_line(str(i)) for i in query.get('experiment_ids', []))}"]
    if query.get("filter"):
        parts.append(f"filter {json_string(ellipsize(query['filter'], _MAX_FILTER_CHARS))}")
    start, end = query.get("start_time_ms", 0), query.get("end_time_ms", 0)
    parts.append(f"{utc_text(start, millis=True)} to {utc_text(end, millis=True)} UTC")
    interval_s = query.get("interval_seconds", 1)
    buckets = plural(len(payload.get("buckets", [])), "bucket")
    parts.append(f"{buckets} of {interval_text(interval_s)}")
    if isinstance(query.get("group_by"), dict):
        parts.append(f"segments by {group_by_text(query['group_by'])}")
    return f"MLflow trace summary: {'; '.join(parts)}"


def _source_text(payload: dict) -> str:
    if payload.get("source") == "server":
        return "computed by the tracking server's QueryTraceMetrics"
    return one_line(payload.get("source_note") or "computed over search results")


def _interval(payload: dict) -> int:
    return (payload.get("query") or {}).get("interval_seconds", 1)


def _has_budgets(payload: dict) -> bool:
    query = payload.get("query")
    return isinstance(query, dict) and isinstance(query.get("budgets"), dict)


def _has_segments(payload: dict) -> bool:
    return isinstance(payload.get("segments"), list)


def _aligned_lines(rows: list[list[str]]) -> list[str]:
    """Rows as aligned text: the first column left, the others right."""
    widths = [max(u16_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        # padStart and padEnd count UTF-16 code units
        cells = [" " * (w - u16_len(c)) + c for c, w in zip(row, widths, strict=True)]
        cells[0] = row[0] + " " * (widths[0] - u16_len(row[0]))
        lines.append("  ".join(cells).rstrip())
    return lines


# --- text/plain -------------------------------------------------------------


def render_summary_text(payload: dict) -> str:
    """The text/plain table of a summary payload: totals first, then one line per bucket."""
    interval_s = _interval(payload)
    cost = _has_cost(payload)
    rows = [_columns(payload), _cells("Total", payload.get("totals") or {}, cost)]
    rows += [_cells(_bucket_label(b, interval_s), b, cost) for b in payload.get("buckets", [])]
    lines = [_caption(payload), *_aligned_lines(rows)]
    if _has_segments(payload):
        lines += _aligned_lines(segment_lines(payload))
    if _has_budgets(payload):
        lines.append(budgets_line(payload))
        violations = violations_of(payload)
        lines += [f"  {violation_text(v, interval_s)}" for v in violations[:MAX_VIOLATION_LINES]]
        if len(violations) > MAX_VIOLATION_LINES:
            lines.append(f"  {more_text(len(violations), MAX_VIOLATION_LINES)}")
    lines.append(_source_text(payload))
    if isinstance(payload.get("segments_note"), str):
        lines.append(one_line(payload["segments_note"]))
    return "\n".join(lines)


# --- text/html --------------------------------------------------------------


def _marks(payload: dict, budget: str, buckets: list[dict]) -> Marks:
    """The whole query's violations of one budget, by bucket index."""
    index = {b.get("start_time_ms"): i for i, b in enumerate(buckets)}
    marks: Marks = {}
    for v in violations_of(payload):
        i = index.get(v.get("start_time_ms"))
        if v.get("budget") == budget and "segment" not in v and i is not None:
            marks.setdefault(i, []).append(violation_text(v, _interval(payload)))
    return marks


def _write_charts(w: SvgWriter, payload: dict, labels: list[str]) -> None:
    buckets = payload.get("buckets", [])
    budgets = payload["query"]["budgets"] if _has_budgets(payload) else {}
    limit = budgets.get("latency_p90_ms")
    latency = (
        Budget(limit, f"budget: latency p90 ≤ {format_duration_ms(limit)}")
        if finite(limit)
        else None
    )
    rate = budgets.get("error_rate")
    error_rate = (
        Budget(rate, f"budget: error rate ≤ {percent_text(rate)} of each bucket's traces")
        if finite(rate)
        else None
    )
    spend = budgets.get("cost_per_trace")
    cost_per_trace = (
        Budget(spend, f"budget: cost per trace ≤ {money_text(spend)} times each bucket's traces")
        if finite(spend)
        else None
    )
    w.open("div")
    write_count_chart(w, buckets, labels, _marks(payload, "error_rate", buckets), error_rate)
    w.close().open("div")
    write_latency_chart(w, buckets, labels, latency, _marks(payload, "latency_p90_ms", buckets))
    w.close()
    if _has_cost(payload):
        w.open("div")
        marks = _marks(payload, "cost_per_trace", buckets)
        write_cost_chart(w, buckets, labels, marks, cost_per_trace)
        w.close()


def render_summary_html(payload: dict) -> str:
    """The static, script-free text/html of a summary payload: caption, charts, tables."""
    interval_s = _interval(payload)
    buckets = payload.get("buckets", [])
    labels = [_bucket_label(b, interval_s) for b in buckets]
    cost = _has_cost(payload)
    w = SvgWriter()
    w.open("div", CLS["root"])
    w.style_sheet()
    w.element("p", CLS["header"], _caption(payload))
    w.element("p", CLS["note"], _source_text(payload))
    if isinstance(payload.get("segments_note"), str):
        w.element("p", CLS["note"], one_line(payload["segments_note"]))
    if _has_budgets(payload):
        write_violations(w, payload)
    _write_charts(w, payload, labels)
    w.open("table", CLS["table"]).open("thead").open("tr")
    for column in _columns(payload):
        w.element("th", None, column)
    w.close().close().open("tbody")
    rows = [("Total", payload.get("totals") or {})] + list(zip(labels, buckets, strict=True))
    for label, figures in rows:
        w.open("tr")
        for cell in _cells(label, figures, cost):
            w.element("td", None, cell)
        w.close()
    w.close().close()
    if _has_segments(payload):
        group_by = or_else((payload.get("query") or {}).get("group_by"), {})
        w.element("p", CLS["header"], f"Segments by {group_by_text(group_by)}")
        write_segments(w, payload, labels)
    if isinstance(payload.get("quality"), list) and payload["quality"]:
        write_quality(w, payload, labels)
    if isinstance(payload.get("spans"), dict):
        write_spans(w, payload)
    return str(w)
