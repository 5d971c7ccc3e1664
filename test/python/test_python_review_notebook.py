"""examples/python-review.ipynb on a real ipykernel against a real tracking server: the labels
its cells write with MLflow's own API land on the server (read back with MLflow's client), the
trace list and the re-displayed trace are in the notebook, and the re-displayed trace's
fallbacks show its assessments, so a shared copy shows the review without a server."""

from __future__ import annotations

import getpass
import os

import nbformat
import pytest

from contract_files import validator
from kernel import LIST_MIME, ROOT, TRACE_MIME, errors, run_notebook, stderr_text, trace_outputs
from mlflow_server import mlflow_server

NOTEBOOK = ROOT / "examples" / "python-review.ipynb"
REVIEWER = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    directory = tmp_path_factory.mktemp("python-review")
    with mlflow_server(directory / "mlflow") as tracking_uri:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        env = {"MLFLOW_TRACKING_URI": tracking_uri, "MLFLOW_EXPERIMENT_NAME": "python-review"}
        run_notebook(nb, directory, env)
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri)
        experiment = client.get_experiment_by_name("python-review")
        traces = client.search_traces(
            locations=[experiment.experiment_id], order_by=["timestamp_ms ASC"]
        )
        yield nb, traces


def _cell(nb: nbformat.NotebookNode, line: str):
    matches = [c for c in nb.cells if c.cell_type == "code" and line in c.source]
    assert len(matches) == 1, f"one cell holds {line!r}"
    return matches[0]


def _by_name(trace) -> dict[str, list]:
    out: dict[str, list] = {}
    for assessment in trace.info.assessments:
        out.setdefault(assessment.name, []).append(assessment)
    return out


def test_runs_without_errors_or_warnings(executed) -> None:
    nb, traces = executed
    assert errors(nb) == []
    assert [c.source for c in nb.cells if "Warning" in stderr_text(c)] == []
    assert len(traces) == 5


def test_the_labels_landed_on_the_server(executed) -> None:
    _nb, traces = executed
    first, second = traces[0], traces[1]
    labels = _by_name(first)
    [thumbs] = labels["thumbs_up"]
    assert (thumbs.value, thumbs.valid, thumbs.span_id) == (True, True, None)
    assert (thumbs.source.source_type, thumbs.source.source_id) == ("HUMAN", REVIEWER)
    assert thumbs.rationale == "Answers from the retrieved passage."
    [expected] = labels["expected_facts"]
    assert expected.value == {"facts": ["inputs", "outputs", "timing"]}
    # The judge's score on the retrieve span is superseded by the reviewer's override.
    judged, override = sorted(labels["relevance"], key=lambda a: a.create_time_ms)
    retrieve = next(s for s in first.data.spans if s.name == "retrieve")
    assert (judged.source.source_type, judged.valid, judged.value) == ("LLM_JUDGE", False, 0.4)
    assert (override.source.source_id, override.valid, override.value) == (REVIEWER, True, 1.0)
    assert override.overrides == judged.assessment_id
    assert judged.span_id == override.span_id == retrieve.span_id
    # The deleted mistake is gone; only the second thumbs remains.
    assert [(a.value, a.valid) for a in _by_name(second)["thumbs_up"]] == [(True, True)]
    assert first.info.tags["review"] == second.info.tags["review"] == "done"
    assert all(not t.info.assessments for t in traces[2:])


def test_the_trace_list_and_the_labelled_trace_are_in_the_notebook(executed) -> None:
    nb, traces = executed
    [listed] = trace_outputs(
        _cell(nb, "trace_list(filter_string=\"trace.name = 'answer'\""), LIST_MIME
    )
    payload = listed["data"][LIST_MIME]
    assert list(validator("trace-list").iter_errors(payload)) == []
    assert [row["trace_id"] for row in payload["traces"]] == [t.info.trace_id for t in traces]
    [reviewed] = trace_outputs(_cell(nb, "tags.review = 'done'"), LIST_MIME)
    ids = [row["trace_id"] for row in reviewed["data"][LIST_MIME]["traces"]]
    assert ids == [traces[0].info.trace_id, traces[1].info.trace_id]
    # Its static table names each row's labels: the judge's superseded score is not among them
    assert "<td>thumbs_up: true, expected_facts: " in reviewed["data"]["text/html"]
    assert "relevance: 1.0" not in reviewed["data"]["text/html"]
    assert "relevance: 1<" in reviewed["data"]["text/html"]
    [shown] = trace_outputs(_cell(nb, "labelled = mlflow.get_trace(first)"))
    data = shown["data"]
    [entry] = data[TRACE_MIME]["traces"]
    assert entry["trace_id"] == traces[0].info.trace_id
    names = sorted(a["assessment_name"] for a in entry["info"]["assessments"])
    assert names == ["expected_facts", "relevance", "relevance", "thumbs_up"]
    # The static fallbacks a shared notebook shows: the valid labels, the judge's counted.
    html = data["text/html"]
    assert "3 assessments · 1 superseded assessment not shown" in html
    assert '<strong>thumbs_up</strong>: <span class="jp-MlflowTraceFallback-value">true' in html
    assert f"by HUMAN {REVIEWER}" in html
    assert 'On span <span class="jp-MlflowTraceFallback-type">RETRIEVER</span>' in html
    assert data["text/plain"].endswith(", 3 assessments")
