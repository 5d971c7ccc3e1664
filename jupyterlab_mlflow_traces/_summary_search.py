"""The summary over search results, where QueryTraceMetrics is not available.

Reads the traces' infos in pages (``MlflowClient.search_traces`` without
spans) and computes what the server computes: counts by state, latency
percentiles by linear interpolation as MLflow's SQL percentile does, and
sums of the trace token usage, each over the traces that recorded it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ._summary_spans import COST_KEYS, add_cost, cost_figures, span_cost, span_start_ms

#: The payload's token names, and the keys of MLflow's trace token usage.
TOKEN_KEYS = {
    "input": "input_tokens",
    "output": "output_tokens",
    "cache_read": "cache_read_input_tokens",
    "cache_write": "cache_creation_input_tokens",
}
#: The latency percentiles of a summary.
PERCENTILES = {"p50": 50.0, "p90": 90.0, "p99": 99.0}
#: Traces read per search page.
PAGE_SIZE = 500
#: Longest page token shown in a message, in characters (as the TS client's).
MAX_TOKEN_CHARS = 40


def shorten_token(token: str) -> str:
    """A page token as a message shows it: at most MAX_TOKEN_CHARS, then "…"."""
    return f"{token[:MAX_TOKEN_CHARS]}…" if len(token) > MAX_TOKEN_CHARS else token


class PageTokenCycleError(RuntimeError):
    """The server's page tokens went round in a cycle (a token came back that
    was already read): paging on would loop forever. The message is the TS
    client's PageTokenCycleError's."""

    def __init__(self, tokens: list[str], server: str, operation: str) -> None:
        shown = " → ".join(shorten_token(token) for token in tokens)
        super().__init__(
            f"Unexpected answer from {server} to {operation}: "
            f"the page tokens go round in a cycle: {shown}"
        )
        #: The cycle, from the token's first visit to its return.
        self.tokens = list(tokens)


def percentile(values: list[float], p: float) -> float | None:
    """The ``p``th percentile (0..100) by linear interpolation between
    closest ranks: ``lo + frac * (hi - lo)`` in float64, as MLflow's SQLite
    aggregate and PostgreSQL's percentile_cont compute it."""
    if not values:
        return None
    ordered = sorted(values)
    index = (p / 100.0) * (len(ordered) - 1)
    lower = int(index)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (index - lower) * (ordered[upper] - ordered[lower])


def latency_figures(values: list[float]) -> dict | None:
    """p50/p90/p99 of execution times in ms, or None when there are none."""
    if not values:
        return None
    return {name: number(percentile(values, p)) for name, p in PERCENTILES.items()}


def number(value: float | None) -> float | int | None:
    """A figure as the payload writes it: integral values as ints, the rest
    rounded to the microsecond (a thousandth), so both paths write the same."""
    if value is None:
        return None
    rounded = round(float(value), 3)
    return int(rounded) if rounded.is_integer() else rounded


@dataclass
class Tally:
    """The traces of one bucket (or of the whole range), and the cost of
    the spans that start in it."""

    traces: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    tokens: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(TOKEN_KEYS))
    cost: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(COST_KEYS))

    def add(self, state: str, latency_ms: float | None, usage: dict | None) -> None:
        self.traces += 1
        self.errors += state == "ERROR"
        if latency_ms is not None:
            self.latencies.append(float(latency_ms))
        for name, key in TOKEN_KEYS.items():
            count = _token_count((usage or {}).get(key))
            if count is not None:
                self.tokens[name] = (self.tokens[name] or 0) + count

    def figures(self) -> dict:
        return {
            "traces": self.traces,
            "errors": self.errors,
            "latency_ms": latency_figures(self.latencies),
            "tokens": dict(self.tokens),
            "cost": cost_figures(self.cost),
        }


def _token_count(value: Any) -> int | None:
    """A recorded token count, as MLflow promotes it to its token columns."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() and value >= 0 else None


def _state(info: Any) -> str:
    state = getattr(info, "state", None)
    return str(getattr(state, "value", state))


def _usage(info: Any) -> dict | None:
    try:
        usage = info.token_usage
    except (ValueError, TypeError, json.JSONDecodeError):
        return None  # a malformed mlflow.trace.tokenUsage: no tokens, as the server
    return usage if isinstance(usage, dict) else None


def spans_of(trace: Any) -> list[Any]:
    data = getattr(trace, "data", None)
    return list(getattr(data, "spans", None) or [])


def tally(traces: Iterable[Any], grid: Any) -> tuple[list[Tally], Tally]:
    """Per-bucket and total tallies of traces (``info.request_time`` in ms)
    over ``grid`` (``start_ms``, ``end_ms``, ``first_ms``, ``interval_ms``,
    ``count``); span cost by each span's start time, within the range."""
    buckets = [Tally() for _ in range(grid.count)]
    total = Tally()
    for trace in traces:
        info = trace.info
        index = (int(info.request_time) - grid.first_ms) // grid.interval_ms
        if not 0 <= index < grid.count:
            continue  # outside the range: the search bounds it already
        state, latency, usage = _state(info), info.execution_duration, _usage(info)
        buckets[index].add(state, latency, usage)
        total.add(state, latency, usage)
        for span in spans_of(trace):
            start_ms = span_start_ms(span)
            if grid.start_ms <= start_ms <= grid.end_ms:
                cost = span_cost(span)
                add_cost(buckets[(start_ms - grid.first_ms) // grid.interval_ms].cost, cost)
                add_cost(total.cost, cost)
    return buckets, total


class Progress:
    """One line updated in place: in IPython's output area, else on stderr."""

    def __init__(self) -> None:
        self._handle = None
        self._stderr = False

    def show(self, text: str) -> None:
        if self._handle is None and not self._stderr:
            self._handle = _ipython_display(text)
            self._stderr = self._handle is None
        elif self._handle is not None:
            self._handle.update({"text/plain": text}, raw=True)
        if self._stderr:
            sys.stderr.write(f"\r{text}")
            sys.stderr.flush()

    def done(self) -> None:
        if self._handle is not None:
            self._handle.update({"text/plain": ""}, raw=True)
        elif self._stderr:
            sys.stderr.write("\n")


def _ipython_display(text: str) -> Any:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return display({"text/plain": text}, raw=True, display_id=True)


def search_infos(
    client: Any,
    experiment_ids: list[str],
    filter_string: str,
    on_page: Callable[[int, int], None],
    server: str = "the tracking server",
) -> list[Any]:
    """Every trace info the search finds (search_traces without spans)."""
    found = search_traces(client, experiment_ids, filter_string, on_page, server)
    return [trace.info for trace in found]


def search_traces(
    client: Any,
    experiment_ids: list[str],
    filter_string: str,
    on_page: Callable[[int, int], None],
    server: str = "the tracking server",
    include_spans: bool = False,
) -> list[Any]:
    """Every trace the search finds, page by page; ``on_page(pages, traces)``
    after each page that has a next one. (``locations``: 3.x's name of the
    experiment ids, which ``experiment_ids`` is deprecated for.) A page token
    that comes back raises PageTokenCycleError naming the cycle and ``server``."""
    traces: list[Any] = []
    token, pages = None, 0
    visited: dict[str, int] = {}
    while True:
        if token is not None:
            if token in visited:
                trail = list(visited)
                raise PageTokenCycleError(
                    [*trail[visited[token] :], token], server, "search_traces"
                )
            visited[token] = len(visited)
        page = client.search_traces(
            locations=experiment_ids,
            filter_string=filter_string,
            max_results=PAGE_SIZE,
            page_token=token,
            include_spans=include_spans,
        )
        traces.extend(page)
        pages += 1
        token = getattr(page, "token", None)
        if not token:
            return traces
        on_page(pages, len(traces))
