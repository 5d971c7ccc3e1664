"""check(): a summary with budgets as a check, in a notebook and in a plain script."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

from ._format import plural
from ._summary_violations import violation_line


def in_notebook() -> bool:
    """Whether this runs in an IPython kernel (a notebook), not a plain script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def check(
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
) -> list[dict]:
    """The budgets the summary breaks (summarize's arguments; budgets required).

    In a notebook it also displays the summary, whose charts mark the
    violations. In a plain script it prints one line per violation to
    stderr and raises SystemExit(1) when there is any; else it prints
    "no budget broken: …" to stdout. So the cell, copied into a script,
    is the hourly check.
    """
    if budgets is None:
        raise ValueError(
            "check() needs budgets, e.g. budgets={'error_rate': 0.05, 'latency_p90_ms': 2000}"
        )
    from .summary import summarize

    summary = summarize(
        experiment_ids, filter_string, start, end, interval, tracking_uri,
        group_by=group_by, budgets=budgets, use_server=use_server,
    )  # fmt: skip
    payload = summary.payload
    broken = payload["violations"]
    if in_notebook():
        from IPython.display import display

        display(summary)
        return broken
    group = payload["query"].get("group_by")
    for violation in broken:
        print(violation_line(violation, group), file=sys.stderr)
    if broken:
        raise SystemExit(1)
    print(f"no budget broken: {_checked(payload)}")
    return broken


def _checked(payload: dict) -> str:
    query = payload["query"]
    span = f"{_utc(query['start_time_ms'])} to {_utc(query['end_time_ms'])}"
    names = [k for k in query["budgets"] if k != "spans"]
    for budget in query["budgets"].get("spans", []):
        field = "span_name" if "span_name" in budget else "span_type"
        names.append(f"p90_ms of {field} {budget[field]!r}")
    budgets = ", ".join(names) if names else "none given"
    return f"{plural(payload['totals']['traces'], 'trace')} from {span}; budgets: {budgets}"


def _utc(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
