"""Budgets and check(): the violations of a summary equal those of an
independent computation over ``mlflow.search_traces`` (numpy) on both
paths; check() run as a plain script exits 1 printing them, or 0 saying no
budget broke; in a kernel it displays the summary and returns them. Bad
group_by and budgets are errors naming what was wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from filter_meaning import metrics_meaning, search_meaning
from test_summary_parts import (
    BUDGETS,
    END_MS,
    HOUR_MS,
    START_MS,
    both,
    expected_cost,
    expected_span_rows,
    frame,
    in_range,
    server,  # noqa: F401 - the module's real server, filled once
)

from jupyterlab_mlflow_traces._summary_filter import equals_filter
from jupyterlab_mlflow_traces.summary import TRACE_SUMMARY_MIME_TYPE, check, summarize

from contract_files import ROOT

NONE_BROKEN = {
    "error_rate": 1,
    "latency_p90_ms": 1e6,
    "cost_per_trace": 1,
    "spans": [{"span_name": "llm", "p90_ms": 1e6}],
}


def trace_figures(rows: list, cost_total) -> dict:
    latencies = [row.execution_duration for row in rows]
    return {
        "traces": len(rows),
        "error_rate": sum(r.state == "ERROR" for r in rows) / len(rows) if rows else None,
        "p90": float(np.quantile(latencies, 0.9)) if rows else None,
        "cost": cost_total / len(rows) if rows and cost_total is not None else None,
    }


def expected_violations(df, budgets: dict, group_by_tag: str | None = None) -> list[tuple]:
    """(budget, subject, where, value) in check()'s order, by numpy."""
    out = []

    def trace_budgets(figures: dict, where) -> None:
        for budget, key in (
            ("error_rate", "error_rate"),
            ("latency_p90_ms", "p90"),
            ("cost_per_trace", "cost"),
        ):
            if budget in budgets and figures[key] is not None and figures[key] > budgets[budget]:
                out.append((budget, "traces", where, figures[key]))

    rows = [r for r in df.itertuples() if in_range(r)]
    costs = expected_cost(df, HOUR_MS)
    trace_budgets(trace_figures(rows, costs[-1]["total"]), None)
    for hour in range(5):
        mine = [r for r in rows if (r.request_time - START_MS) // HOUR_MS == hour]
        trace_budgets(trace_figures(mine, costs[hour]["total"]), START_MS + hour * HOUR_MS)
    for budget in budgets.get("spans", []):
        field = "name" if "span_name" in budget else "type"
        stats = expected_span_rows(df, field).get(budget[f"span_{field}"])
        p90 = float(np.quantile(stats["durations"], 0.9)) if stats else None
        if p90 is not None and p90 > budget["p90_ms"]:
            out.append(("span_p90_ms", budget[f"span_{field}"], None, p90))
    if group_by_tag:
        values = {}
        for r in rows:
            values[r.tags[group_by_tag]] = values.get(r.tags[group_by_tag], 0) + 1
        for value in sorted(values, key=lambda v: (-values[v], v)):

            def keep(row, value=value):
                return row.tags.get(group_by_tag) == value

            mine = [r for r in rows if keep(r)]
            cost = expected_cost(df, HOUR_MS, keep)[-1]["total"]
            trace_budgets(trace_figures(mine, cost), ("segment", value))
    return out


def as_tuples(violations: list[dict]) -> list[tuple]:
    out = []
    for v in violations:
        where = v.get("start_time_ms")
        if "segment" in v:
            where = ("segment", v["segment"])
        out.append((v["budget"], v["subject"], where, v["value"]))
    return out


def test_violations_equal_numpy_over_search_traces_on_both_paths(server):  # noqa: F811
    url, experiment_id = server
    want = expected_violations(frame(url, experiment_id), BUDGETS, "version")
    assert {w[0] for w in want} == {
        "error_rate", "latency_p90_ms", "cost_per_trace", "span_p90_ms"
    }  # fmt: skip
    assert any(w[2] is None for w in want) and any(isinstance(w[2], int) for w in want)
    assert any(isinstance(w[2], tuple) for w in want)
    for payload in both(url, experiment_id, group_by="tags.version", budgets=BUDGETS):
        assert payload["query"]["budgets"] == BUDGETS
        got = as_tuples(payload["violations"])
        assert [g[:3] for g in got] == [w[:3] for w in want]
        assert [g[3] for g in got] == pytest.approx([w[3] for w in want], abs=5e-7)
        spans = [v for v in payload["violations"] if v["budget"] == "span_p90_ms"]
        assert {v["span_field"] for v in spans} <= {"span_name", "span_type"}
        assert all(v["limit"] < v["value"] for v in payload["violations"])


def test_budgets_nothing_breaks_give_no_violations(server):  # noqa: F811
    url, experiment_id = server
    for payload in both(url, experiment_id, group_by="tags.version", budgets=NONE_BROKEN):
        assert payload["violations"] == []
    plain = summarize([experiment_id], start=START_MS, end=END_MS, tracking_uri=url).to_dict()
    assert "violations" not in plain and "budgets" not in plain["query"]


def test_a_limit_equal_to_the_figure_is_not_broken(server):  # noqa: F811
    url, experiment_id = server
    payload = summarize(
        [experiment_id], start=START_MS, end=END_MS, tracking_uri=url, budgets={"error_rate": 0}
    ).to_dict()
    starts = {v.get("start_time_ms") for v in payload["violations"]}
    empty = [b["start_time_ms"] for b in payload["buckets"] if b["errors"] == 0]
    assert empty and not starts & set(empty)  # 0 errors of a limit 0: not broken
    at_p90 = payload["totals"]["latency_ms"]["p90"]
    payload = summarize(
        [experiment_id], start=START_MS, end=END_MS, tracking_uri=url,
        budgets={"latency_p90_ms": at_p90},
    ).to_dict()  # fmt: skip
    assert None not in {v.get("start_time_ms") for v in payload["violations"]}


# --- check() as the hourly script, and in a kernel ------------------------------------


def run_script(tmp_path, url: str, experiment_id: str, budgets: dict):
    script = tmp_path / "hourly_check.py"
    script.write_text(
        "from jupyterlab_mlflow_traces import check\n"
        f"check([{experiment_id!r}], start={START_MS}, end={END_MS}, tracking_uri={url!r},\n"
        f"      group_by='tags.version', budgets={budgets!r})\n"
        "print('after check')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=300,
    )  # fmt: skip


def test_check_in_a_script_prints_each_violation_and_exits_1(server, tmp_path):  # noqa: F811
    url, experiment_id = server
    want = expected_violations(frame(url, experiment_id), BUDGETS, "version")
    done = run_script(tmp_path, url, experiment_id, BUDGETS)
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("budget broken: ")]
    assert len(lines) == len(want)
    first = want[0]
    assert lines[0] == (
        f"budget broken: {first[0]} of traces {round(first[3], 6)} > {BUDGETS[first[0]]} "
        "over the range"
    )
    assert any(" in the bucket from 2026-12-01T" in line for line in lines)
    assert any(" where tag version = 'v" in line for line in lines)
    assert any(line.startswith("budget broken: span_p90_ms of span name 'llm' ") for line in lines)
    assert "after check" not in done.stdout and "no budget broken" not in done.stdout


def test_check_in_a_script_with_nothing_broken_exits_0_saying_so(server, tmp_path):  # noqa: F811
    url, experiment_id = server
    done = run_script(tmp_path, url, experiment_id, NONE_BROKEN)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "no budget broken: 40 traces from 2026-12-01T00:00:00.000Z to "
        "2026-12-01T04:59:59.999Z; budgets: error_rate, latency_p90_ms, cost_per_trace, "
        "p90_ms of span_name 'llm'",
        "after check",
    ]
    assert "budget broken" not in done.stderr


def test_check_in_a_kernel_displays_the_summary_and_returns_the_violations(server, tmp_path):  # noqa: F811
    from kernel import notebook_of, run_notebook

    url, experiment_id = server
    nb = notebook_of(
        "from jupyterlab_mlflow_traces import check\n"
        f"broken = check([{experiment_id!r}], start={START_MS}, end={END_MS}, "
        f"budgets={BUDGETS!r})\n"
        "print(len(broken), 'broken')"
    )
    run_notebook(nb, tmp_path, {"MLFLOW_TRACKING_URI": url})
    outputs = nb.cells[0].outputs
    shown = [o for o in outputs if o["output_type"] == "display_data"]
    assert len(shown) == 1
    payload = shown[0]["data"][TRACE_SUMMARY_MIME_TYPE]
    assert payload["violations"] and "text/html" in shown[0]["data"]
    printed = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert printed == f"{len(payload['violations'])} broken\n"
    assert not [o for o in outputs if o["output_type"] == "error"]


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_by", "message"),
    [
        ("version", r"group_by 'version': write a tag or metadata key as in search_traces"),
        ("TAGS.version", r"'TAGS' is not a tag or metadata prefix \(tags, tag, metadata"),
        ("attributes.status", r"'attributes' is not a tag or metadata prefix"),
        ("tags.", r"group_by 'tags\.': write a tag or metadata key"),
        ("tags.`open", r"group_by 'tags\.`open'"),
        ("tags.version = 'v1'", r"group_by \"tags\.version = 'v1'\""),
        (7, r"group_by 7: write a tag or metadata key"),
    ],
)
def test_a_bad_group_by_is_an_error_naming_it(group_by, message):
    with pytest.raises(ValueError, match=message):
        summarize(["1"], tracking_uri="http://127.0.0.1:9", group_by=group_by)


@pytest.mark.parametrize(
    ("budgets", "message"),
    [
        ({"errors": 0.1}, r"budgets: unknown key 'errors'; the budgets are error_rate, "),
        ({"error_rate": 1.5}, r"budgets\['error_rate'\] = 1\.5: a number between 0 and 1"),
        ({"error_rate": True}, r"budgets\['error_rate'\] = True: a finite number"),
        ({"latency_p90_ms": -1}, r"budgets\['latency_p90_ms'\] = -1: a number at least 0"),
        ({"cost_per_trace": float("nan")}, r"budgets\['cost_per_trace'\] = nan: a finite"),
        ({"latency_p90_ms": "2s"}, r"budgets\['latency_p90_ms'\] = '2s': a finite number"),
        ({"spans": {"span_name": "x"}}, r"budgets\['spans'\] = .*: a list of span budgets"),
        ({"spans": [{"span_name": "x"}]}, r"budgets\['spans'\]\[0\]: p90_ms is missing"),
        (
            {"spans": [{"span_name": "x", "p90_ms": 1}, {"span_type": "LLM", "span_name": "y"}]},
            r"budgets\['spans'\]\[1\]: give exactly one of span_name and span_type, not 2",
        ),
        ({"spans": [{"name": "x", "p90_ms": 1}]}, r"budgets\['spans'\]\[0\]: unknown key 'name'"),
        ({"spans": [{"span_type": "", "p90_ms": 1}]}, r"\['span_type'\] = '': a non-empty"),
        ({"spans": ["llm"]}, r"budgets\['spans'\]\[0\] = 'llm': a dict such as"),
        ([("error_rate", 0.1)], r"budgets \[\('error_rate', 0\.1\)\]: a dict such as"),
    ],
)
def test_bad_budgets_are_an_error_naming_the_key(budgets, message):
    with pytest.raises(ValueError, match=message):
        summarize(["1"], tracking_uri="http://127.0.0.1:9", budgets=budgets)


def test_check_without_budgets_is_an_error():
    with pytest.raises(ValueError, match=r"^check\(\) needs budgets"):
        check(["1"], tracking_uri="http://127.0.0.1:9")


@pytest.mark.parametrize(
    ("search", "entity", "key", "value"),
    [
        ("tags.version = 'v1'", "trace.tag", "version", "v1"),
        ("metadata.`mlflow.trace.user` = 'u 1'", "trace.metadata", "mlflow.trace.user", "u 1"),
        ("tags.`from` = 'x'", "trace.tag", "from", "x"),
        ("metadata.`a-b` = 'é'", "trace.metadata", "a-b", "é"),
    ],
)  # fmt: skip
def test_a_segment_filter_means_what_the_search_filter_means(search, entity, key, value):
    assert metrics_meaning([equals_filter(entity, key, value)]) == search_meaning(search)


@pytest.mark.parametrize(("key", "value"), [("version", "it's"), ("version", "a\\b"), ("a b", "x")])
def test_a_segment_filter_the_metrics_syntax_cannot_say_is_none(key, value):
    assert equals_filter("trace.tag", key, value) is None


def test_a_span_budget_the_metrics_syntax_cannot_say_goes_the_search_path(server):  # noqa: F811
    url, experiment_id = server
    budgets = {"spans": [{"span_type": "it's", "p90_ms": 1}]}
    payload = summarize(
        [experiment_id], start=START_MS, end=END_MS, tracking_uri=url, budgets=budgets
    ).to_dict()
    assert payload["source"] == "search"
    assert payload["source_note"].endswith(
        'not by the tracking server: QueryTraceMetrics cannot filter the span type "it\'s"'
    )
    assert payload["spans"]["by_type"][-1]["key"] == "it's"
    assert payload["violations"] == []


def test_violations_read_only_the_payload_in_order_and_strictly():
    from jupyterlab_mlflow_traces.summary import violations

    def figures(traces, errors, p90, cost):
        latency = {"p50": 1, "p90": p90, "p99": p90} if p90 is not None else None
        return {"traces": traces, "errors": errors, "latency_ms": latency, "tokens": {},
                "cost": {"input": None, "output": None, "total": cost}}  # fmt: skip

    row = {"key": "llm", "latency_ms": {"p50": 1, "p90": 7.001}}
    payload = {
        "query": {
            "budgets": {
                "error_rate": 0.5,
                "cost_per_trace": 0.1,
                "spans": [{"span_name": "llm", "p90_ms": 7}],
            }
        },  # fmt: skip
        "totals": figures(4, 2, 9, 0.8),
        "buckets": [
            {"start_time_ms": 0, **figures(0, 0, None, None)},
            {"start_time_ms": 10, **figures(1, 1, 9, None)},
            {"start_time_ms": 20, **figures(3, 1, 9, 0.3)},
        ],
        "spans": {"by_name": [row], "by_type": []},
        "segments": [{"value": "v1", "buckets": [], "totals": figures(3, 2, 9, 0.3)}],
    }
    assert violations(payload) == [
        {"budget": "cost_per_trace", "subject": "traces", "limit": 0.1, "value": 0.2},
        {"budget": "error_rate", "subject": "traces", "start_time_ms": 10, "limit": 0.5,
         "value": 1},
        {"budget": "span_p90_ms", "subject": "llm", "span_field": "span_name", "limit": 7,
         "value": 7.001},
        {"budget": "error_rate", "subject": "traces", "segment": "v1", "limit": 0.5,
         "value": 0.666667},
    ]  # fmt: skip
    payload["query"]["budgets"] = {}
    assert violations(payload) == []
