"""Trace queries from a Python cell, shown as the trace-list output.

``trace_list(filter_string=..., order_by=..., max_results=...)`` searches the
tracking store with MLflow's own client and returns one page of results. As a
cell's value (or in ``display()``) it is ``application/vnd.mlflow.trace-list+json``
with its ``text/html`` table and ``text/plain`` line, the same contract as the
tslab helper's ``show(results)``; the renderer's "Load more" reads the next
page from the tracking server.

``trace_session(session_id)`` reads every trace of one session (the metadata
``mlflow.trace.session``) in request-time order; the same output, its query
naming the session, renders as a conversation (the tslab helper's
``show({ sessionId })``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._session import MAX_SESSION_TURNS, SESSION_ORDER_BY, session_filter
from ._summary_search import PageTokenCycleError
from .bundle import trace_list_bundle

#: The server's largest page of a search.
_MAX_PAGE_SIZE = 500


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
    #: Set when the traces are the turns of one session (``trace_session``).
    session_id: str | None = None

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return trace_list_bundle(
            self.traces,
            experiment_ids=self.experiment_ids,
            filter=self.filter_string,
            order_by=self.order_by,
            max_results=self.max_results,
            next_page_token=self.next_page_token,
            tracking_uri=self.tracking_uri,
            session_id=self.session_id,
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
        locations=ids,
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


def trace_session(
    session_id: str,
    experiment_ids: list[str] | None = None,
    max_turns: int = MAX_SESSION_TURNS,
) -> TraceList:
    """The traces of one session (default: in the active experiment) in
    request-time order, every page read up to ``max_turns``; a longer session
    keeps the page token of the rest. Shown, it renders as a conversation.

    Pages are never cut: each asks for at most the turns still wanted, so the
    token left after the last one continues exactly where the turns stop.
    """
    import mlflow
    from mlflow import MlflowClient

    filter_string = session_filter(session_id)
    if isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1:
        raise TypeError(f"trace_session: max_turns is a positive integer (got {max_turns!r})")
    ids = [str(i) for i in experiment_ids] if experiment_ids else _active_experiment_ids()
    client = MlflowClient()
    traces: list[Any] = []
    token: str | None = None
    visited: dict[str, int] = {}
    while True:
        page = client.search_traces(
            locations=ids,
            filter_string=filter_string,
            order_by=list(SESSION_ORDER_BY),
            max_results=min(max_turns - len(traces), _MAX_PAGE_SIZE),
            page_token=token,
            include_spans=False,
        )
        traces.extend(page)
        token = getattr(page, "token", None) or None
        if token is None or len(traces) >= max_turns:
            break
        if token in visited:
            trail = list(visited)
            raise PageTokenCycleError(
                [*trail[visited[token] :], token], mlflow.get_tracking_uri(), "trace_session"
            )
        visited[token] = len(visited)
    return TraceList(
        traces=traces,
        experiment_ids=ids,
        filter_string=filter_string,
        order_by=list(SESSION_ORDER_BY),
        max_results=min(max_turns, _MAX_PAGE_SIZE),
        next_page_token=token,
        tracking_uri=mlflow.get_tracking_uri(),
        session_id=session_id,
    )
