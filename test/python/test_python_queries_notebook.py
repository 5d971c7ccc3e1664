"""examples/python-queries.ipynb on a real ipykernel against a real tracking server: the
summaries (whole, by version, with budgets) and the chat session it displays, each checked
against what MLflow's own client reads from the server."""

from __future__ import annotations

import json

import nbformat
import pytest

from contract_files import validator
from kernel import LIST_MIME, ROOT, errors, run_notebook, stderr_text, trace_outputs
from mlflow_server import mlflow_server

NOTEBOOK = ROOT / "examples" / "python-queries.ipynb"
SUMMARY_MIME = "application/vnd.mlflow.trace-summary+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("python-queries")
    with mlflow_server(directory / "mlflow") as tracking_uri:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        env = {"MLFLOW_TRACKING_URI": tracking_uri, "MLFLOW_EXPERIMENT_NAME": "python-queries"}
        run_notebook(nb, directory, env)
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri)
        experiment = client.get_experiment_by_name("python-queries")
        traces = client.search_traces(locations=[experiment.experiment_id], max_results=500)
        yield nb, client, experiment.experiment_id, traces


def _cell(nb: nbformat.NotebookNode, line: str):
    code = [c for c in nb.cells if c.cell_type == "code"]
    matches = [c for c in code if c.source == line] or [c for c in code if line in c.source]
    assert len(matches) == 1, f"one cell holds {line!r}"
    return matches[0]


def _summary(nb: nbformat.NotebookNode, line: str) -> dict:
    outputs = trace_outputs(_cell(nb, line), SUMMARY_MIME)
    assert len(outputs) == 1, line
    data = outputs[0]["data"]
    assert set(data) == {SUMMARY_MIME, "text/html", "text/plain"}
    assert "<script" not in data["text/html"].lower()
    payload = data[SUMMARY_MIME]
    assert list(validator("trace-summary").iter_errors(payload)) == []
    return payload


def test_runs_without_errors_or_warnings(executed) -> None:
    nb, _client, _experiment, traces = executed
    assert errors(nb) == []
    assert len(traces) == 30
    # Our calls into MLflow's client are the current ones: no deprecation in a user's cell.
    warned = [c.source for c in nb.cells if "Warning" in stderr_text(c)]
    assert warned == []


def test_the_summary_is_the_servers_and_matches_its_traces(executed) -> None:
    nb, _client, _experiment, traces = executed
    summary = _summary(nb, 'summarize(start=started, interval="5s")')
    assert summary["source"] == "server"
    assert summary["totals"]["traces"] == len(traces)
    assert summary["totals"]["errors"] == sum(t.info.state.value == "ERROR" for t in traces)
    usage = [
        json.loads(u) for t in traces if (u := t.info.trace_metadata.get("mlflow.trace.tokenUsage"))
    ]
    assert summary["totals"]["tokens"]["output"] == sum(u["output_tokens"] for u in usage)
    costs = [
        span.attributes["mlflow.llm.cost"]["total_cost"]
        for t in traces
        for span in t.data.spans
        if "mlflow.llm.cost" in span.attributes
    ]
    assert summary["totals"]["cost"]["total"] == pytest.approx(sum(costs), abs=1e-9)
    names = sorted(row["key"] for row in summary["spans"]["by_name"])
    assert names == ["generate", "retrieve", "v1", "v2"]
    helpful = [q for q in summary["quality"] if q["name"] == "helpful"]
    assert helpful and helpful[0]["count"] == 4 and helpful[0]["mean"] == 0


def test_v1_and_v2_side_by_side(executed) -> None:
    nb, _client, _experiment, traces = executed
    summary = _summary(nb, 'group_by="tags.version"')
    assert summary["query"]["group_by"] == {"kind": "tag", "key": "version"}
    segments = {s["value"]: s["totals"] for s in summary["segments"]}
    assert sorted(segments) == ["v1", "v2"]
    for version, totals in segments.items():
        mine = [t for t in traces if t.info.tags.get("version") == version]
        assert totals["traces"] == len(mine)
        assert totals["errors"] == sum(t.info.state.value == "ERROR" for t in mine)


def test_the_budget_check_returns_and_prints_the_violations(executed) -> None:
    nb, *_ = executed
    summary = _summary(nb, "broken = check(")
    broken = {(v["budget"], v["subject"]) for v in summary["violations"]}
    assert ("error_rate", "traces") in broken  # 4 errors in 30
    assert ("cost_per_trace", "traces") in broken  # about $0.000016 a trace
    assert ("span_p90_ms", "retrieve") in broken
    printed = "".join(
        o.get("text", "")
        for o in _cell(nb, "broken = check(").outputs
        if o["output_type"] == "stream"
    )
    assert len(printed.strip().splitlines()) == len(summary["violations"])


def test_a_session_is_its_turns_in_request_time_order(executed) -> None:
    nb, client, experiment, _traces = executed
    outputs = trace_outputs(_cell(nb, 'trace_session("chat-1")'), LIST_MIME)
    assert len(outputs) == 1
    bundle = outputs[0]["data"][LIST_MIME]
    turns = client.search_traces(
        locations=[experiment],
        filter_string="metadata.`mlflow.trace.session` = 'chat-1'",
        order_by=["timestamp_ms ASC"],
    )
    assert len(turns) == 10
    assert [t["trace_id"] for t in bundle["traces"]] == [t.info.trace_id for t in turns]
