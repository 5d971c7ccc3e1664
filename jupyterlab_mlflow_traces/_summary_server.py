"""The server path of a summary: MLflow's QueryTraceMetrics (``POST
/api/3.0/mlflow/traces/metrics``, or a local SQL store's own query) on its
TRACES, SPANS and ASSESSMENTS views.

``ask(view, metric, aggregations, ...)`` is one query; the figures of the
whole query and of each segment, quality and the span rows are built from
them. Span cost is bucketed and bounded by span start time, as the SPANS
view does; span counts and latency by the trace's request time.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from threading import Event
from typing import Any

from ._summary_filter import equals_filter
from ._summary_quality import MEAN_DIGITS, entry, rounded
from ._summary_search import PERCENTILES, TOKEN_KEYS, Tally, number, shorten_token
from ._summary_spans import COST_DIGITS, COST_KEYS, cost_figures, pick_keys, span_row, total_ms

#: Error codes of a store or server without QueryTraceMetrics (a file store's: FEATURE_DISABLED).
_UNSUPPORTED = frozenset(["FEATURE_DISABLED", "NOT_IMPLEMENTED", "ENDPOINT_NOT_FOUND"])
#: The HTTP statuses MLflow retries, less 500.
_RETRIED = frozenset([408, 429, 502, 503, 504])
#: The QueryTraceMetrics endpoint of the tracking server's REST API.
METRICS_ENDPOINT = "/api/3.0/mlflow/traces/metrics"
#: Rows asked of a query grouped by names (span names, assessment names and values).
_MANY_ROWS = 50_000
#: Per-row span queries run at once.
CONCURRENCY = 4


class NoServerMetrics(Exception):
    """The store or server has no QueryTraceMetrics (or cannot say a
    filter the summary needs); the message says why."""


def rest_query(tracking_uri: str) -> Any:
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


def store_query(tracking_uri: str) -> Any:
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
                view_type=MetricViewType[body["view_type"]],
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


class Asker:
    """QueryTraceMetrics queries over a range and its buckets; callable from several threads."""

    def __init__(self, query: Any, experiment_ids: list[str], filters: list[str], grid: Any):
        self.query, self.grid = query, grid
        self.body = {
            "experiment_ids": experiment_ids,
            "filters": filters,
            "start_time_ms": grid.start_ms,
            "end_time_ms": grid.end_ms,
        }

    def __call__(
        self,
        view: str,
        metric: str,
        aggregations: list[dict],
        dimensions: tuple = (),
        bucketed: bool = True,
        filters: tuple = (),
    ) -> list[dict]:
        request = {**self.body, "view_type": view, "metric_name": metric}
        request.update(aggregations=aggregations, dimensions=list(dimensions))
        request["filters"] = [*self.body["filters"], *filters]
        many = any(d != "trace_status" for d in dimensions)
        request["max_results"] = _MANY_ROWS if many else self.grid.count * 4 + 10
        if bucketed:
            request["time_interval_seconds"] = self.grid.interval_ms // 1000
        points = self.query(request)
        if len(points) >= request["max_results"]:
            raise RuntimeError(f"QueryTraceMetrics returned its limit of {len(points)} rows")
        return points

    def index(self, point: dict) -> int:
        text = point.get("dimensions", {})["time_bucket"]
        bucket_ms = round(datetime.fromisoformat(text).timestamp() * 1000)
        return (bucket_ms - self.grid.first_ms) // self.grid.interval_ms


def _agg(kind: str, percentile: float | None = None) -> dict:
    out: dict = {"aggregation_type": kind}
    if percentile is not None:
        out["percentile_value"] = percentile
    return out


_PERCENTILES = [_agg("PERCENTILE", p) for p in PERCENTILES.values()]


def in_flight(calls: dict[str, Callable[[], list[dict]]]) -> dict[str, list[dict]]:
    """Runs independent queries CONCURRENCY at a time. After the first failure no
    further query is sent, and it is raised: no figure is made of a partial answer."""
    failed = Event()

    def guarded(call: Callable[[], list[dict]]) -> list[dict]:
        if failed.is_set():
            raise _NotSent
        try:
            return call()
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        futures = {key: pool.submit(guarded, call) for key, call in calls.items()}
    errors = [f.exception() for f in futures.values() if f.exception() is not None]
    first = next((e for e in errors if not isinstance(e, _NotSent)), None)
    if first is not None:
        raise first
    return {key: future.result() for key, future in futures.items()}


class _NotSent(Exception):
    """A query left unsent because another failed first."""


def server_figures(ask: Asker, filters: tuple = ()) -> tuple[list[dict], dict, float | None]:
    """Per-bucket and total figures, and the summed execution time of the traces in ms."""
    asked = in_flight(
        {
            "counts": lambda: ask(
                "TRACES", "trace_count", [_agg("COUNT")], ("trace_status",), True, filters
            ),
            "latency": lambda: ask("TRACES", "latency", _PERCENTILES, (), True, filters),
            "overall": lambda: ask(
                "TRACES", "latency", [*_PERCENTILES, _agg("AVG")], (), False, filters
            ),
            **{
                f"tokens.{name}": partial(ask, "TRACES", metric, [_agg("SUM")], (), True, filters)
                for name, metric in TOKEN_KEYS.items()
            },
            **{
                f"cost.{name}": partial(ask, "SPANS", metric, [_agg("SUM")], (), True, filters)
                for name, metric in COST_KEYS.items()
            },
        }
    )
    buckets = [Tally().figures() for _ in range(ask.grid.count)]
    for point in asked["counts"]:
        figures = buckets[ask.index(point)]
        count = int(point["values"]["COUNT"])
        figures["traces"] += count
        if point["dimensions"].get("trace_status") == "ERROR":
            figures["errors"] += count
    for point in asked["latency"]:
        buckets[ask.index(point)]["latency_ms"] = _latency(point["values"])
    for name in TOKEN_KEYS:
        for point in asked[f"tokens.{name}"]:
            buckets[ask.index(point)]["tokens"][name] = int(point["values"]["SUM"])
    costs = [dict.fromkeys(COST_KEYS) for _ in buckets]
    total_cost: dict = dict.fromkeys(COST_KEYS)
    for name in COST_KEYS:
        for point in asked[f"cost.{name}"]:
            value = float(point["values"]["SUM"])
            costs[ask.index(point)][name] = value
            total_cost[name] = (total_cost[name] or 0.0) + value
    for figures, cost in zip(buckets, costs, strict=True):
        figures["cost"] = cost_figures(cost)
    overall = asked["overall"]
    traces = sum(b["traces"] for b in buckets)
    totals = {
        "traces": traces,
        "errors": sum(b["errors"] for b in buckets),
        "latency_ms": _latency(overall[0]["values"]) if overall else None,
        "tokens": {name: _sum(b["tokens"][name] for b in buckets) for name in TOKEN_KEYS},
        "cost": cost_figures(total_cost),
    }
    trace_time_ms = float(overall[0]["values"]["AVG"]) * traces if overall else None
    return buckets, totals, trace_time_ms


def _latency(values: dict) -> dict | None:
    figures = {name: values.get(f"P{p}") for name, p in PERCENTILES.items()}
    if any(value is None for value in figures.values()):
        return None
    return {name: number(value) for name, value in figures.items()}


def _sum(values: Any) -> int | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def server_quality(ask: Asker) -> list[dict]:
    """One entry per assessment name (the ASSESSMENTS view)."""
    count, avg, by_name = [_agg("COUNT")], [_agg("AVG")], ("assessment_name",)
    dims = ("assessment_name", "assessment_value")
    asked = in_flight(
        {
            "counts": lambda: ask("ASSESSMENTS", "assessment_count", count, by_name),
            "means": lambda: ask("ASSESSMENTS", "assessment_value", avg, by_name),
            "values": lambda: ask("ASSESSMENTS", "assessment_count", count, dims, bucketed=False),
            "overall": lambda: ask("ASSESSMENTS", "assessment_value", avg, by_name, bucketed=False),
        }
    )
    names: dict[str, list[dict]] = {}
    for point in asked["counts"]:
        name = point["dimensions"]["assessment_name"]
        points = names.setdefault(name, [{"count": 0, "mean": None} for _ in range(ask.grid.count)])
        points[ask.index(point)]["count"] = int(point["values"]["COUNT"])
    for point in asked["means"]:
        mean = rounded(point["values"]["AVG"], MEAN_DIGITS)
        names[point["dimensions"]["assessment_name"]][ask.index(point)]["mean"] = mean
    values: dict[str, dict[str, int]] = {name: {} for name in names}
    for point in asked["values"]:
        name, value = (
            point["dimensions"]["assessment_name"],
            point["dimensions"]["assessment_value"],
        )
        values[name][value] = int(point["values"]["COUNT"])
    means = {
        p["dimensions"]["assessment_name"]: rounded(p["values"]["AVG"], MEAN_DIGITS)
        for p in asked["overall"]
    }
    grid = ask.grid
    return [
        entry(
            name,
            {"count": sum(p["count"] for p in names[name]), "mean": means.get(name)},
            values[name],
            names[name],
            grid.first_ms,
            grid.interval_ms,
        )
        for name in sorted(names)
    ]


def _span_filter(field: str, key: str) -> str:
    text = equals_filter("span", field, key)
    if text is None:
        raise NoServerMetrics(f"QueryTraceMetrics cannot filter the span {field} {key!r}")
    return text


_LATENCY_AGGS = [_agg("AVG"), _agg("PERCENTILE", 50.0), _agg("PERCENTILE", 90.0)]


def server_spans(
    ask: Asker, budgets: dict, trace_time_ms: float | None, total_cost: float | None
) -> dict:
    """The span rows by name and by type (the SPANS view)."""
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return {
            f"by_{field}": _span_rows(ask, pool, field, budgets, trace_time_ms, total_cost)
            for field in ("name", "type")
        }


def _span_counts(ask: Asker, dimension: str) -> dict[str, list[int]]:
    """[count, errors] per span name or type."""
    counts: dict[str, list[int]] = {}
    dimensions = (dimension, "span_status")
    for point in ask("SPANS", "span_count", [_agg("COUNT")], dimensions, bucketed=False):
        tally = counts.setdefault(point["dimensions"][dimension], [0, 0])
        tally[0] += int(point["values"]["COUNT"])
        if point["dimensions"]["span_status"] == "ERROR":
            tally[1] += int(point["values"]["COUNT"])
    return counts


def _span_latency(ask: Asker, pool: Any, field: str, keys: list[str]) -> dict[str, dict]:
    """AVG, P50 and P90 of the span durations per name or type."""
    if field == "name":
        points = ask("SPANS", "latency", _LATENCY_AGGS, ("span_name",), bucketed=False)
        return {p["dimensions"]["span_name"]: p["values"] for p in points}

    # span latency has no span_type dimension: one query per type
    def of_type(key: str) -> list[dict]:
        filters = (_span_filter("type", key),)
        return ask("SPANS", "latency", _LATENCY_AGGS, bucketed=False, filters=filters)

    found = pool.map(of_type, keys)
    return {key: points[0]["values"] for key, points in zip(keys, found, strict=True) if points}


def _span_rows(
    ask: Asker,
    pool: Any,
    field: str,
    budgets: dict,
    trace_time_ms: float | None,
    total_cost: float | None,
) -> list[dict]:
    dimension = f"span_{field}"
    counts = _span_counts(ask, dimension)
    budgeted = [b[dimension] for b in budgets.get("spans", []) if dimension in b]
    latency = _span_latency(ask, pool, field, sorted({*counts, *budgeted}))
    totals = {
        key: total_ms((latency.get(key) or {}).get("AVG"), tally[0])
        for key, tally in counts.items()
    }
    keys = pick_keys(totals, budgeted)
    costs: list = [None] * len(keys)
    if total_cost is not None:
        costs = list(pool.map(lambda key: _row_cost(ask, field, key), keys))
    rows = []
    for key, cost in zip(keys, costs, strict=True):
        count, errors = counts.get(key, [0, 0])
        values = latency.get(key)
        figures = None
        if values and values.get("P50.0") is not None:
            figures = {"p50": number(values["P50.0"]), "p90": number(values["P90.0"])}
        rows.append(span_row(key, count, errors, totals.get(key, 0), figures, cost,
                             trace_time_ms, total_cost))  # fmt: skip
    return rows


def _row_cost(ask: Asker, field: str, key: str) -> float | None:
    points = ask("SPANS", "total_cost", [_agg("SUM")], bucketed=False,
                 filters=(_span_filter(field, key),))  # fmt: skip
    return rounded(points[0]["values"]["SUM"], COST_DIGITS) if points else None
