"""The optional parts of a trace summary's fallbacks: budgets and their
violations, segments side by side and quality per assessment name (where time
and cost go: ``_summary_fallback_spans``); byte for byte as
``src/bundle/summarysections.ts``.

#### Notes
Every string from the payload (segment values, assessment names and values,
span names and types, notes) is escaped text, one line, cut.
"""

from __future__ import annotations

from typing import Any

from ._format import format_count, format_duration_ms, plural
from ._html import CLS
from ._js import js_keys
from ._summary_fallback_charts import SERIES_COLOURS, Budget, Series, SvgWriter, write_series_chart
from ._summary_fallback_text import (
    budget_name,
    budget_value_text,
    budgets_text,
    error_text,
    finite,
    group_by_text,
    label,
    latency_text,
    mean_text,
    money_text,
    or_else,
    segment_text,
    subject_text,
    where_text,
)

#: Assessment names drawn as charts (all are in the table).
_MAX_QUALITY_CHARTS = 6
_VIOLATION_COLUMNS = ["Budget", "Of", "Value", "Limit", "Where"]
#: Violations listed in the text/html table and in text/plain; the rest are counted.
MAX_VIOLATION_ROWS = 50
MAX_VIOLATION_LINES = 10
_SEGMENT_COLUMNS = ["Traces", "Errors", "p50", "p90", "p99", "Cost"]


def object_list(value: Any) -> list[dict]:
    """The objects of a list; [] when it is not one."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def header_row(w: SvgWriter, columns: list[str]) -> None:
    """A table's head row."""
    w.open("thead").open("tr")
    for column in columns:
        w.element("th", None, column)
    w.close().close()


def violations_of(payload: dict) -> list[dict]:
    """The violations the payload lists."""
    return object_list(payload.get("violations"))


def budgets_line(payload: dict) -> str:
    """The budgets asked for, then ``2 violations`` or ``no budget broken``."""
    count = len(violations_of(payload))
    verdict = "no budget broken" if count == 0 else plural(count, "violation")
    return f"Budgets: {budgets_text(payload['query']['budgets'])}: {verdict}"


def write_violations(w: SvgWriter, payload: dict) -> None:
    """The budgets asked for, then one row per violation."""
    violations = violations_of(payload)
    interval_s = payload["query"].get("interval_seconds", 1)
    w.element("p", CLS["error"] if violations else CLS["note"], budgets_line(payload))
    if not violations:
        return
    w.open("table", CLS["table"])
    header_row(w, _VIOLATION_COLUMNS)
    w.open("tbody")
    for v in violations[:MAX_VIOLATION_ROWS]:
        w.open("tr")
        for cell in (
            budget_name(v.get("budget")),
            subject_text(v),
            budget_value_text(v.get("budget"), v.get("value")),
            budget_value_text(v.get("budget"), v.get("limit")),
            where_text(v, interval_s),
        ):
            w.element("td", None, cell)
        w.close()
    w.close().close()
    if len(violations) > MAX_VIOLATION_ROWS:
        w.element("p", CLS["note"], more_text(len(violations), MAX_VIOLATION_ROWS))


def more_text(count: int, shown: int) -> str:
    """``… and 12 more violations``: what a list cut at ``shown`` left out."""
    return f"… and {plural(count - shown, 'more violation')}"


def segment_cells(totals: dict) -> list[str]:
    """A segment's figures: traces, errors, p50, p90, p99, cost."""
    cost = totals.get("cost")
    return [
        format_count(totals.get("traces", 0)),
        error_text(totals),
        *(latency_text(totals, name) for name in ("p50", "p90", "p99")),
        money_text(cost.get("total") if isinstance(cost, dict) else None),
    ]


def segment_lines(payload: dict) -> list[list[str]]:
    """The text/plain lines of the segments: a table, each segment's totals."""
    group_by = or_else((payload.get("query") or {}).get("group_by"), {})
    head = f"Segment ({group_by_text(group_by)})"
    rows = [[head, *_SEGMENT_COLUMNS]]
    for s in object_list(payload.get("segments")):
        totals = s.get("totals")
        rows.append([segment_text(s.get("value")),
                     *segment_cells(totals if isinstance(totals, dict) else {})])  # fmt: skip
    return rows


def _swatch(w: SvgWriter, colour: str) -> None:
    """A square of a series' colour, the key of the charts beside a table row."""
    w.svg("svg", xmlns="http://www.w3.org/2000/svg", width=10, height=10,
          view_box="0 0 10 10", role="img", aria_label="colour in the charts")  # fmt: skip
    w.svg("rect", x=0, y=0, width=10, height=10, fill=colour).close()
    w.close().text(" ")


def _segment_series(segments: list[dict], labels: list[str], value) -> list[Series]:
    series = []
    for i, s in enumerate(segments):
        buckets = object_list(s.get("buckets"))
        values = [value(buckets[j]) if j < len(buckets) else None for j in range(len(labels))]
        series.append(Series(segment_text(s.get("value")),
                             SERIES_COLOURS[i % len(SERIES_COLOURS)], values))  # fmt: skip
    return series


def _p90(bucket: dict) -> Any:
    latency = bucket.get("latency_ms")
    return latency.get("p90") if isinstance(latency, dict) else None


def write_segments(w: SvgWriter, payload: dict, labels: list[str]) -> None:
    """Each segment's totals, then its traces and p90 per bucket side by side."""
    segments = object_list(payload.get("segments"))
    rows = segment_lines(payload)
    w.open("table", CLS["table"])
    header_row(w, rows[0])
    w.open("tbody")
    for i in range(len(segments)):
        w.open("tr").open("td")
        _swatch(w, SERIES_COLOURS[i % len(SERIES_COLOURS)])
        w.text(rows[i + 1][0]).close()
        for cell in rows[i + 1][1:]:
            w.element("td", None, cell)
        w.close()
    w.close().close()
    limit = or_else((payload.get("query") or {}).get("budgets"), {}).get("latency_p90_ms")
    budget = (
        Budget(limit, f"budget: latency p90 ≤ {format_duration_ms(limit)}")
        if finite(limit)
        else None
    )
    w.open("div")
    traces = _segment_series(segments, labels, lambda b: or_else(b.get("traces"), 0))
    title = "Traces per time bucket, by segment"
    write_series_chart(w, (title, title), traces, labels, format_count)
    w.close().open("div")
    title = "Latency p90 per time bucket, by segment"
    write_series_chart(w, (title, title),
                       _segment_series(segments, labels, _p90), labels, format_duration_ms,
                       budget)  # fmt: skip
    w.close()


def values_text(values: Any) -> str:
    """``true 3, false 1``: the counts by value of an assessment name."""
    if not isinstance(values, dict):
        return "–"
    return ", ".join(f"{label(key, 30)} {format_count(values[key])}" for key in js_keys(values))


def write_quality(w: SvgWriter, payload: dict, labels: list[str]) -> None:
    """One row per assessment name, then each name's mean per bucket."""
    quality = object_list(payload.get("quality"))
    w.element("p", CLS["header"], "Quality (assessments)")
    w.open("table", CLS["table"])
    header_row(w, ["Assessment", "Count", "Mean", "Values"])
    w.open("tbody")
    for q in quality:
        w.open("tr")
        for cell in (
            label(or_else(q.get("name"), "")),
            format_count(or_else(q.get("count"), 0)),
            mean_text(q.get("mean")),
            values_text(q.get("values")),
        ):
            w.element("td", None, cell)
        w.close()
    w.close().close()
    charted = [q for q in quality if finite(q.get("mean"))]
    for i, q in enumerate(charted[:_MAX_QUALITY_CHARTS]):
        buckets = object_list(q.get("buckets"))
        name = label(or_else(q.get("name"), ""))
        values = [
            buckets[j]["mean"] if j < len(buckets) and finite(buckets[j].get("mean")) else None
            for j in range(len(labels))
        ]
        w.open("div")
        series = [Series(name, SERIES_COLOURS[i], values)]
        chart = ("Mean of an assessment per time bucket", f"Mean of {name} per time bucket")
        write_series_chart(w, chart, series, labels, mean_text)
        w.close()
    if len(charted) > _MAX_QUALITY_CHARTS:
        w.element("p", CLS["note"], f"charts of the first {_MAX_QUALITY_CHARTS} names with a mean")
