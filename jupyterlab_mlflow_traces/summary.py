"""A summary of traces over time from a Python cell, shown as the
trace-summary output (``application/vnd.mlflow.trace-summary+json``).

``summarize(experiment_ids, filter_string, start, end, interval)`` counts
traces and errors, takes latency p50/p90/p99 and sums tokens per
epoch-aligned UTC time bucket and over the range. Where it can, the
tracking server computes it (MLflow's QueryTraceMetrics: ``POST
/api/3.0/mlflow/traces/metrics``, or a local SQL store's own query);
otherwise it is computed here over search results read in pages, and the
output says so (``source``, ``source_note``).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ._decode import BUNDLE_VERSION
from ._format import plural
from ._summary_fallback import render_summary_html, render_summary_text
from ._summary_filter import translate_filter
from ._summary_search import (
    PERCENTILES,
    TOKEN_KEYS,
    Progress,
    Tally,
    number,
    search_infos,
    shorten_token,
    tally,
)
from ._url import without_credentials

#: MIME type of a trace summary.
TRACE_SUMMARY_MIME_TYPE = "application/vnd.mlflow.trace-summary+json"
#: Most time buckets one summary holds.
MAX_BUCKETS = 1000
#: The QueryTraceMetrics endpoint of the tracking server's REST API.
METRICS_ENDPOINT = "/api/3.0/mlflow/traces/metrics"
#: Error codes of a store or server without QueryTraceMetrics (a file store's: FEATURE_DISABLED).
_UNSUPPORTED = frozenset(["FEATURE_DISABLED", "NOT_IMPLEMENTED", "ENDPOINT_NOT_FOUND"])
#: The HTTP statuses MLflow retries, less 500.
_RETRIED = frozenset([408, 429, 502, 503, 504])
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


# --- the server path --------------------------------------------------------


class NoServerMetrics(Exception):
    """The store or server has no QueryTraceMetrics; the message says why."""


def _rest_query(tracking_uri: str) -> Any:
    from mlflow.utils.credentials import get_default_host_creds
    from mlflow.utils.rest_utils import http_request, verify_rest_response

    creds = get_default_host_creds(tracking_uri)

    def query(body: dict) -> list[dict]:
        # a store without it answers 500 (FEATURE_DISABLED) at once: not retried
        response = http_request(
            creds, METRICS_ENDPOINT, "POST", json=body, retry_codes=_RETRIED, raise_on_status=False
        )
        if response.status_code in (404, 405, 501):
            raise NoServerMetrics(
                f"the tracking server answers HTTP {response.status_code} to QueryTraceMetrics"
            )
        if response.status_code != 200:
            code = _error_code(response)
            if code in _UNSUPPORTED:
                raise NoServerMetrics(
                    f"the tracking server does not support QueryTraceMetrics ({code})"
                )
        verify_rest_response(response, METRICS_ENDPOINT)
        answer = response.json()
        _no_next_page(answer.get("next_page_token"))
        return answer.get("data_points", [])

    return query


def _no_next_page(token: Any) -> None:
    """A QueryTraceMetrics answer with a next page is an error: reading only
    its first page would drop the other rows silently. (MLflow 3.17.2 never
    sends one.)"""
    if token:
        raise RuntimeError(
            f"QueryTraceMetrics answered with a next_page_token ({shorten_token(token)!r}): "
            "further pages are not read, so their rows would be lost"
        )


def _error_code(response: Any) -> str | None:
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer.get("error_code") if isinstance(answer, dict) else None


def _store_query(tracking_uri: str) -> Any:
    from mlflow.entities.trace_metrics import AggregationType, MetricAggregation, MetricViewType
    from mlflow.exceptions import MlflowException
    from mlflow.tracking._tracking_service.utils import _get_store  # private: guarded

    store = _get_store(tracking_uri)
    method = getattr(store, "query_trace_metrics", None)
    if method is None:
        raise NoServerMetrics(f"the {type(store).__name__} has no QueryTraceMetrics")

    def query(body: dict) -> list[dict]:
        aggregations = [
            MetricAggregation(AggregationType[a["aggregation_type"]], a.get("percentile_value"))
            for a in body["aggregations"]
        ]
        try:
            points = method(
                experiment_ids=body["experiment_ids"],
                view_type=MetricViewType.TRACES,
                metric_name=body["metric_name"],
                aggregations=aggregations,
                dimensions=body.get("dimensions"),
                filters=body.get("filters"),
                time_interval_seconds=body.get("time_interval_seconds"),
                start_time_ms=body["start_time_ms"],
                end_time_ms=body["end_time_ms"],
                max_results=body["max_results"],
            )
        except NotImplementedError as error:
            raise NoServerMetrics(f"the {type(store).__name__} has no QueryTraceMetrics") from error
        except MlflowException as error:
            if error.error_code not in _UNSUPPORTED:
                raise
            store_name, code = type(store).__name__, error.error_code
            raise NoServerMetrics(
                f"the {store_name} does not support QueryTraceMetrics ({code})"
            ) from error
        _no_next_page(getattr(points, "token", None))
        return [{"dimensions": p.dimensions or {}, "values": p.values} for p in points]

    return query


def _bucket_ms(point: dict) -> int:
    text = point.get("dimensions", {})["time_bucket"]
    return round(datetime.fromisoformat(text).timestamp() * 1000)


def server_figures(query: Any, body: dict, grid: Grid) -> tuple[list[dict], dict]:
    """Per-bucket and total figures from QueryTraceMetrics (``query(body)``)."""
    buckets = [Tally().figures() for _ in range(grid.count)]
    timed = {**body, "time_interval_seconds": grid.interval_ms // 1000}

    def ask(metric: str, aggregations: list[dict], dimensions=(), bucketed=True) -> list[dict]:
        request = {**(timed if bucketed else body), "metric_name": metric}
        request.update(aggregations=aggregations, dimensions=list(dimensions))
        points = query(request)
        if len(points) >= request["max_results"]:
            raise RuntimeError(f"QueryTraceMetrics returned its limit of {len(points)} rows")
        return points

    for point in ask("trace_count", [{"aggregation_type": "COUNT"}], ["trace_status"]):
        figures = buckets[grid.index(_bucket_ms(point))]
        count = int(point["values"]["COUNT"])
        figures["traces"] += count
        if point["dimensions"].get("trace_status") == "ERROR":
            figures["errors"] += count
    percentiles = [
        {"aggregation_type": "PERCENTILE", "percentile_value": p} for p in PERCENTILES.values()
    ]
    for point in ask("latency", percentiles):
        buckets[grid.index(_bucket_ms(point))]["latency_ms"] = _latency(point["values"])
    for name, metric in TOKEN_KEYS.items():
        for point in ask(metric, [{"aggregation_type": "SUM"}]):
            figures = buckets[grid.index(_bucket_ms(point))]
            figures["tokens"][name] = int(point["values"]["SUM"])
    overall = ask("latency", percentiles, bucketed=False)
    totals = {
        "traces": sum(b["traces"] for b in buckets),
        "errors": sum(b["errors"] for b in buckets),
        "latency_ms": _latency(overall[0]["values"]) if overall else None,
        "tokens": {name: _sum(b["tokens"][name] for b in buckets) for name in TOKEN_KEYS},
    }
    return buckets, totals


def _latency(values: dict) -> dict | None:
    figures = {name: values.get(f"P{p}") for name, p in PERCENTILES.items()}
    if any(value is None for value in figures.values()):
        return None
    return {name: number(value) for name, value in figures.items()}


def _sum(values: Any) -> int | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


# --- summarize --------------------------------------------------------------


def summarize(
    experiment_ids: list[str] | None = None,
    filter_string: str | None = None,
    start: datetime | int | float | None = None,
    end: datetime | int | float | None = None,
    interval: int | float | str | timedelta = "1h",
    tracking_uri: str | None = None,
    *,
    use_server: bool = True,
) -> TraceSummary:
    """Traces, errors, latency p50/p90/p99 and tokens per time bucket and in total.

    ``experiment_ids``: default the active experiment. ``filter_string``:
    search_traces syntax. ``start``/``end``: datetimes (naive ones are UTC)
    or epoch ms, both inclusive; default the last 24 hours. ``interval``:
    seconds or "15m", "1h", "1d"; buckets are aligned to the epoch in UTC,
    at most 1000. ``use_server=False`` computes over search results even
    where the server could.
    """
    import mlflow
    from mlflow import MlflowClient

    from .query import _active_experiment_ids

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
    payload: dict = {"version": BUNDLE_VERSION, "query": query}
    clean = without_credentials(uri)
    if clean is not None:
        payload["tracking_uri"] = clean[0]

    note = _server_path(payload, grid, uri, filter_string) if use_server else "use_server=False"
    if note is not None:
        client = MlflowClient(tracking_uri=uri)
        _search_path(payload, grid, client, filter_string, note)
    return TraceSummary(payload)


def _server_path(payload: dict, grid: Grid, uri: str, filter_string: str | None) -> str | None:
    """Fills the payload from QueryTraceMetrics; else returns why it could not."""
    translated = translate_filter(filter_string)
    if translated.filters is None:
        return translated.reason
    body = {
        "experiment_ids": payload["query"]["experiment_ids"],
        "view_type": "TRACES",
        "filters": translated.filters,
        "start_time_ms": grid.start_ms,
        "end_time_ms": grid.end_ms,
        "max_results": grid.count * 4 + 10,
    }
    try:
        scheme = uri.split(":", 1)[0].lower()
        query = _rest_query(uri) if scheme in ("http", "https") else _store_query(uri)
        buckets, totals = server_figures(query, body, grid)
    except NoServerMetrics as reason:
        return str(reason)
    except ImportError as error:
        return f"this MLflow has no QueryTraceMetrics ({error})"
    payload["source"] = "server"
    _set_figures(payload, grid, buckets, totals)
    return None


def _search_path(
    payload: dict, grid: Grid, client: Any, filter_string: str | None, why: str
) -> None:
    in_range = (
        f"attributes.timestamp_ms >= {grid.start_ms} AND attributes.timestamp_ms <= {grid.end_ms}"
    )
    search_filter = f"{filter_string} AND {in_range}" if filter_string else in_range
    progress = Progress()

    def on_page(pages: int, traces: int) -> None:
        progress.show(f"Summarizing over search results: {traces:,} traces read ({pages} pages)…")

    try:
        infos = search_infos(
            client,
            payload["query"]["experiment_ids"],
            search_filter,
            on_page,
            server=payload.get("tracking_uri", "the tracking server"),
        )
    finally:
        progress.done()
    tallies, total = tally(infos, grid.first_ms, grid.interval_ms, grid.count)
    payload["source"] = "search"
    payload["source_note"] = (
        f"computed over {plural(len(infos), 'search result')}, not by the tracking server: {why}"
    )
    _set_figures(payload, grid, [t.figures() for t in tallies], total.figures())


def _set_figures(payload: dict, grid: Grid, buckets: list[dict], totals: dict) -> None:
    payload["buckets"] = [
        {"start_time_ms": grid.first_ms + i * grid.interval_ms, **figures}
        for i, figures in enumerate(buckets)
    ]
    payload["totals"] = totals


__all__ = ["MAX_BUCKETS", "TRACE_SUMMARY_MIME_TYPE", "TraceSummary", "summarize", "summary_bundle"]
