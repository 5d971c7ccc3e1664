"""The two ways a summary payload is filled: the server path (MLflow's
QueryTraceMetrics, _summary_server.py) and the search path (over search
results read in pages, spans included). Both write the same parts: buckets
and totals (cost included), quality, span rows and, with group_by, segments.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ._format import plural
from ._summary_filter import equals_filter, translate_filter
from ._summary_quality import QualityTally
from ._summary_search import Progress, search_traces, spans_of, tally
from ._summary_segments import newest_infos, newest_of, segments_note, top_values, value_of
from ._summary_server import (
    Asker,
    NoServerMetrics,
    rest_query,
    server_figures,
    server_quality,
    server_spans,
    store_query,
)
from ._summary_spans import RowStats, search_rows, span_start_ms


def in_range(filter_string: str | None, grid: Any) -> str:
    """The search filter of the traces in range (and the user's filter)."""
    bounds = (
        f"attributes.timestamp_ms >= {grid.start_ms} AND attributes.timestamp_ms <= {grid.end_ms}"
    )
    return f"{filter_string} AND {bounds}" if filter_string else bounds


def server_path(
    payload: dict,
    grid: Any,
    uri: str,
    client: Callable[[], Any],
    filter_string: str | None,
    search_filter: str,
) -> str | None:
    """Fills the payload from QueryTraceMetrics; else returns why it could not."""
    translated = translate_filter(filter_string)
    if translated.filters is None:
        return translated.reason
    query = payload["query"]
    try:
        scheme = uri.split(":", 1)[0].lower()
        metrics = rest_query(uri) if scheme in ("http", "https") else store_query(uri)
        ask = Asker(metrics, query["experiment_ids"], translated.filters, grid)
        buckets, totals, trace_time_ms = server_figures(ask)
        parts: dict = {"quality": server_quality(ask)}
        parts["spans"] = server_spans(
            ask, query.get("budgets") or {}, trace_time_ms, totals["cost"]["total"]
        )
        if "group_by" in query:
            group_by = query["group_by"]
            infos = newest_infos(client(), query["experiment_ids"], search_filter)
            entity = f"trace.{group_by['kind']}"
            segments = []
            for value in top_values(infos, group_by):
                where = equals_filter(entity, group_by["key"], value)
                if where is None:
                    raise NoServerMetrics(
                        f"QueryTraceMetrics cannot filter the {group_by['kind']} "
                        f"{group_by['key']!r} = {value!r}"
                    )
                segment_buckets, segment_totals, _ = server_figures(ask, (where,))
                segments.append(_segment(grid, value, segment_buckets, segment_totals))
            parts.update(_segments(group_by, segments, len(infos), totals["traces"]))
    except NoServerMetrics as reason:
        return str(reason)
    except ImportError as error:
        return f"this MLflow has no QueryTraceMetrics ({error})"
    payload["source"] = "server"
    _set_figures(payload, grid, buckets, totals)
    payload.update(parts)
    return None


def _segment(grid: Any, value: str, buckets: list[dict], totals: dict) -> dict:
    return {"value": value, "buckets": _with_starts(grid, buckets), "totals": totals}


def _segments(group_by: dict, segments: list[dict], read: int, total: int) -> dict:
    segmented = sum(s["totals"]["traces"] for s in segments)
    return {"segments": segments, "segments_note": segments_note(group_by, read, total, segmented)}


def search_path(payload: dict, grid: Any, client: Any, search_filter: str, why: str) -> None:
    """Fills the payload over search results (spans included), saying ``why``."""
    progress = Progress()

    def on_page(pages: int, traces: int) -> None:
        progress.show(f"Summarizing over search results: {traces:,} traces read ({pages} pages)…")

    try:
        traces = search_traces(
            client,
            payload["query"]["experiment_ids"],
            search_filter,
            on_page,
            server=payload.get("tracking_uri", "the tracking server"),
            include_spans=True,
        )
    finally:
        progress.done()
    tallies, total = tally(traces, grid)
    payload["source"] = "search"
    payload["source_note"] = (
        f"computed over {plural(len(traces), 'search result')}, not by the tracking server: {why}"
    )
    _set_figures(payload, grid, [t.figures() for t in tallies], total.figures())
    payload.update(_search_parts(payload, grid, traces))
    group_by = payload["query"].get("group_by")
    if group_by is not None:
        sample = newest_of(traces)
        segments = []
        for value in top_values(sample, group_by):
            mine = [t for t in traces if value_of(t.info, group_by) == value]
            buckets, totals = tally(mine, grid)
            segments.append(_segment(grid, value, [b.figures() for b in buckets], totals.figures()))
        payload.update(_segments(group_by, segments, len(sample), payload["totals"]["traces"]))


def _search_parts(payload: dict, grid: Any, traces: list[Any]) -> dict:
    """Quality and span rows of the search path's traces."""
    quality = QualityTally(grid.count)
    by_name: dict[str, RowStats] = {}
    by_type: dict[str, RowStats] = {}
    trace_time: list[float] = []
    for trace in traces:
        info = trace.info
        index = (int(info.request_time) - grid.first_ms) // grid.interval_ms
        if not 0 <= index < grid.count:
            continue
        quality.add(index, getattr(info, "assessments", None))
        if info.execution_duration is not None:
            trace_time.append(float(info.execution_duration))
        for span in spans_of(trace):
            costs = grid.start_ms <= span_start_ms(span) <= grid.end_ms
            by_name.setdefault(span.name, RowStats()).add(span, costs)
            if span.span_type is not None:
                by_type.setdefault(span.span_type, RowStats()).add(span, costs)
    budgets = payload["query"].get("budgets") or {}
    trace_time_ms = math.fsum(trace_time) if trace_time else None
    total_cost = payload["totals"]["cost"]["total"]
    spans = {}
    for field, stats in (("name", by_name), ("type", by_type)):
        budgeted = [b[f"span_{field}"] for b in budgets.get("spans", []) if f"span_{field}" in b]
        spans[f"by_{field}"] = search_rows(stats, budgeted, trace_time_ms, total_cost)
    return {"quality": quality.entries(grid.first_ms, grid.interval_ms), "spans": spans}


def _with_starts(grid: Any, buckets: list[dict]) -> list[dict]:
    return [
        {"start_time_ms": grid.first_ms + i * grid.interval_ms, **figures}
        for i, figures in enumerate(buckets)
    ]


def _set_figures(payload: dict, grid: Any, buckets: list[dict], totals: dict) -> None:
    payload["buckets"] = _with_starts(grid, buckets)
    payload["totals"] = totals
