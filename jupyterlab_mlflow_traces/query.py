"""Trace queries from a Python cell, shown as the trace-list output.

``trace_list(filter_string=..., order_by=..., max_results=...)`` searches the
tracking store with MLflow's own client and returns one page of results. As a
cell's value (or in ``display()``) it is ``application/vnd.mlflow.trace-list+json``
with its ``text/html`` table and ``text/plain`` line, the same contract as the
tslab helper's ``show(results)``; the renderer's "Load more" reads the next
page from the tracking server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .bundle import trace_list_bundle


@dataclass
class TraceList:
    """One page of a trace search, and the query that made it."""

    traces: list[Any]
    experiment_ids: list[str]
    filter_string: str | None = None
    order_by: list[str] = field(default_factory=list)
    max_results: int | None = None
    next_page_token: str | None = None
    tracking_uri: str | None = None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return trace_list_bundle(
            self.traces,
            experiment_ids=self.experiment_ids,
            filter=self.filter_string,
            order_by=self.order_by,
            max_results=self.max_results,
            next_page_token=self.next_page_token,
            tracking_uri=self.tracking_uri,
        )

    def __len__(self) -> int:
        return len(self.traces)


def _active_experiment_ids() -> list[str]:
    import mlflow

    try:
        from mlflow.tracking.fluent import _get_experiment_id  # private: guarded
    except ImportError:
        _get_experiment_id = None
    experiment_id = _get_experiment_id() if _get_experiment_id else None
    if experiment_id is None:
        last = mlflow.get_last_active_trace_id()
        trace = mlflow.get_trace(last) if last else None
        experiment_id = getattr(getattr(trace, "info", None), "experiment_id", None)
    if experiment_id is None:
        raise ValueError("no active experiment: pass experiment_ids=[...]")
    return [str(experiment_id)]


def trace_list(
    experiment_ids: list[str] | None = None,
    filter_string: str | None = None,
    order_by: list[str] | None = None,
    max_results: int = 100,
) -> TraceList:
    """Searches traces (default: the active experiment) and returns the first page.

    The arguments are those of ``MlflowClient.search_traces``; the rows hold each
    trace's info, not its spans (opening a row fetches them).
    """
    import mlflow
    from mlflow import MlflowClient

    ids = [str(i) for i in experiment_ids] if experiment_ids else _active_experiment_ids()
    page = MlflowClient().search_traces(
        experiment_ids=ids,
        filter_string=filter_string,
        order_by=list(order_by or []),
        max_results=max_results,
        include_spans=False,
    )
    return TraceList(
        traces=list(page),
        experiment_ids=ids,
        filter_string=filter_string,
        order_by=list(order_by or []),
        max_results=max_results,
        next_page_token=getattr(page, "token", None),
        tracking_uri=mlflow.get_tracking_uri(),
    )
