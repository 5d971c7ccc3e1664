"""A summary of traces over time from a Python cell, shown as the
trace-summary output (``application/vnd.mlflow.trace-summary+json``).

``summarize(experiment_ids, filter_string, start, end, interval, *,
group_by, budgets)`` counts traces and errors, takes latency p50/p90/p99,
sums tokens and span cost per epoch-aligned UTC time bucket and over the
range; adds quality (assessments), where time and cost go (span rows),
segments by a tag or metadata key, and the budgets broken. ``check()`` is
the same with budgets, as an hourly check: outside a notebook it prints the
broken budgets and exits 1. Where it can, the tracking server computes it
(MLflow's QueryTraceMetrics: ``POST /api/3.0/mlflow/traces/metrics``, or a
local SQL store's own query); otherwise it is computed here over search
results read in pages, and the output says so (``source``, ``source_note``).

Decisions beyond the shared plan (the TypeScript twin follows them):

- Rounding: quality means to 6 decimals; cost to 9, shares to 6, total_ms
  to 3; an integral result is written as an integer. share_time is the
  rounded total_ms over the traces' summed execution time (server: AVG of
  the trace latency over the range times the trace count), share_cost the
  rounded row cost over the rounded range total.
- Span rows are ranked on the rounded total_ms. A budgeted name or type
  outside the top 12 is appended after them, in the budgets' order; one
  with no span has count 0, total_ms 0, latency null, cost null.
- A row's cost is null when its spans recorded none (also when the range
  has cost); share_time is null when the traces' summed time is 0 or unknown.
- Violations: the whole query's range, then its buckets ascending (each
  error_rate, latency_p90_ms, cost_per_trace), then the span budgets in
  their order, then each segment's range.
- segments_note: "values of tag version from the 40 traces in range" or
  "values of tag version from the newest 2,000 of 5,000 traces", then
  "; 3 traces in no segment" when some are. The search path finds the
  values in its own newest 2,000 traces by request time.
- A segment value or span name/type QueryTraceMetrics cannot quote (a ' or
  a backslash) sends the whole summary the search path, saying why.
- The server's span latency is whole ms (``(end_ns - start_ns) // 1e6``);
  the search path's is ``(end_ns - start_ns) / 1e6`` as the plan says, so
  the two agree for spans of whole milliseconds only.
- Quality ``values`` keys are the server's stored text, ``json.dumps`` of
  the value (ASCII escapes for non-ASCII text, as Python writes it).
- check() takes budgets (a dict; {} checks nothing); without them it is a
  ValueError. Outside a notebook each violation is one line on stderr
  ("budget broken: error_rate of traces 0.3 > 0.2 over the range"), then
  SystemExit(1); with none, "no budget broken: …" on stdout.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ._decode import BUNDLE_VERSION
from ._summary_check import check
from ._summary_fallback import render_summary_html, render_summary_text
from ._summary_options import check_budgets, parse_group_by
from ._summary_paths import in_range, search_path, server_path
from ._summary_server import METRICS_ENDPOINT
from ._summary_violations import violations
from ._url import without_credentials

#: MIME type of a trace summary.
TRACE_SUMMARY_MIME_TYPE = "application/vnd.mlflow.trace-summary+json"
#: Most time buckets one summary holds.
MAX_BUCKETS = 1000
_DAY_MS = 24 * 3600 * 1000
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


@dataclass
class TraceSummary:
    """A trace summary payload; displays as the trace-summary output."""

    payload: dict

    def to_dict(self) -> dict:
        """The ``application/vnd.mlflow.trace-summary+json`` payload."""
        return self.payload

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return summary_bundle(self.payload)

    def __repr__(self) -> str:
        return render_summary_text(self.payload)


def summary_bundle(payload: dict) -> dict:
    """The display data of a summary payload: itself, ``text/html`` and ``text/plain``."""
    from .bundle import well_formed_json

    return well_formed_json(
        {
            TRACE_SUMMARY_MIME_TYPE: payload,
            "text/html": render_summary_html(payload),
            "text/plain": render_summary_text(payload),
        }
    )


# --- the query --------------------------------------------------------------


def interval_seconds(interval: int | float | str | timedelta) -> int:
    """Seconds of an interval given as seconds, a timedelta or "15m", "1h", "1d"."""
    if isinstance(interval, timedelta):
        seconds = interval.total_seconds()
    elif isinstance(interval, str):
        found = re.fullmatch(r"\s*(\d+)\s*(s|m|min|h|d)?\s*", interval)
        if not found:
            raise ValueError(f"interval {interval!r}: write seconds or e.g. '15m', '1h', '1d'")
        seconds = int(found[1]) * _UNITS[found[2] or "s"]
    elif isinstance(interval, (int, float)) and not isinstance(interval, bool):
        seconds = interval
    else:
        raise ValueError(f"interval {interval!r}: write seconds or e.g. '15m', '1h', '1d'")
    if not seconds >= 1 or seconds != int(seconds):
        raise ValueError(f"interval {interval!r}: a whole number of seconds, at least 1")
    return int(seconds)


def epoch_ms(value: datetime | int | float) -> int:
    """Epoch milliseconds of a datetime (naive ones are UTC) or of epoch ms."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return math.floor(value.timestamp() * 1000)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return int(value)
    raise ValueError(f"{value!r} is not a datetime or epoch milliseconds")


@dataclass
class Grid:
    """The epoch-aligned buckets from the one holding ``start_ms`` to the one holding ``end_ms``."""

    start_ms: int
    end_ms: int
    interval_ms: int

    @property
    def first_ms(self) -> int:
        return self.start_ms // self.interval_ms * self.interval_ms

    @property
    def count(self) -> int:
        return self.end_ms // self.interval_ms - self.start_ms // self.interval_ms + 1

    def index(self, bucket_ms: int) -> int:
        return (bucket_ms - self.first_ms) // self.interval_ms


def make_grid(start_ms: int, end_ms: int, seconds: int) -> Grid:
    """The buckets of a range; ValueError when it is empty or over MAX_BUCKETS."""
    if start_ms < 0 or end_ms < start_ms:
        raise ValueError(f"the range {start_ms}..{end_ms} ms is empty or before 1970")
    grid = Grid(start_ms, end_ms, seconds * 1000)
    if grid.count > MAX_BUCKETS:
        raise ValueError(
            f"{grid.count} buckets of {seconds} s from {start_ms} to {end_ms} ms: at most "
            f"{MAX_BUCKETS}; use an interval of at least "
            f"{math.ceil((end_ms - start_ms + 1) / 1000 / (MAX_BUCKETS - 1))} s or a shorter range"
        )
    return grid


# --- summarize --------------------------------------------------------------


def summarize(
    experiment_ids: list[str] | None = None,
    filter_string: str | None = None,
    start: datetime | int | float | None = None,
    end: datetime | int | float | None = None,
    interval: int | float | str | timedelta = "1h",
    tracking_uri: str | None = None,
    *,
    group_by: str | None = None,
    budgets: dict | None = None,
    use_server: bool = True,
) -> TraceSummary:
    """Traces, errors, latency p50/p90/p99, tokens and cost per time bucket
    and in total; quality, span rows, segments and broken budgets.

    ``experiment_ids``: default the active experiment. ``filter_string``:
    search_traces syntax. ``start``/``end``: datetimes (naive ones are UTC)
    or epoch ms, both inclusive; default the last 24 hours. ``interval``:
    seconds or "15m", "1h", "1d"; buckets are aligned to the epoch in UTC,
    at most 1000. ``group_by``: a tag or metadata key (``tags.version``,
    ``metadata.segment``). ``budgets``: ``{"error_rate": 0.05,
    "latency_p90_ms": 2000, "cost_per_trace": 0.01, "spans": [{"span_name":
    "llm", "p90_ms": 1500}]}``. ``use_server=False`` computes over search
    results even where the server could.
    """
    import mlflow
    from mlflow import MlflowClient

    from .query import _active_experiment_ids

    grouping = parse_group_by(group_by) if group_by is not None else None
    limits = check_budgets(budgets) if budgets is not None else None
    ids = [str(i) for i in experiment_ids] if experiment_ids else _active_experiment_ids()
    uri = tracking_uri or mlflow.get_tracking_uri()
    end_ms = epoch_ms(end) if end is not None else int(time.time() * 1000)
    start_ms = epoch_ms(start) if start is not None else end_ms - _DAY_MS
    grid = make_grid(start_ms, end_ms, interval_seconds(interval))
    query: dict = {"experiment_ids": ids}
    filter_string = filter_string if (filter_string or "").strip(" \t\r\n") else None
    if filter_string:
        query["filter"] = filter_string
    query.update(
        start_time_ms=start_ms, end_time_ms=end_ms, interval_seconds=interval_seconds(interval)
    )
    if grouping is not None:
        query["group_by"] = grouping
    if limits is not None:
        query["budgets"] = limits
    payload: dict = {"version": BUNDLE_VERSION, "query": query}
    clean = without_credentials(uri)
    if clean is not None:
        payload["tracking_uri"] = clean[0]

    def client() -> Any:
        # made when needed: a client of a sqlite URI creates the database
        return MlflowClient(tracking_uri=uri)

    search_filter = in_range(filter_string, grid)
    note = (
        server_path(payload, grid, uri, client, filter_string, search_filter)
        if use_server
        else "use_server=False"
    )
    if note is not None:
        search_path(payload, grid, client(), search_filter, note)
    if limits is not None:
        payload["violations"] = violations(payload)
    return TraceSummary(payload)


__all__ = [
    "MAX_BUCKETS",
    "METRICS_ENDPOINT",
    "TRACE_SUMMARY_MIME_TYPE",
    "TraceSummary",
    "check",
    "summarize",
    "summary_bundle",
    "violations",
]
