"""The Python emitter on real traces made by MLflow's Python SDK: with a
sqlite store in a temp dir, and against a real ``mlflow server``, whose REST
answers for the same traces are what ``info`` and the spans must equal."""

from __future__ import annotations

import json
import urllib.request

import mlflow
import pytest

from jupyterlab_mlflow_traces import bundle as emitter
from jupyterlab_mlflow_traces._html import escape_html
from jupyterlab_mlflow_traces._url import mlflow_trace_ui_url
from jupyterlab_mlflow_traces.bundle import (
    TRACE_LIST_MIME_TYPE,
    TRACE_MIME_TYPE,
    trace_bundle,
    trace_info_rest,
    trace_input,
    trace_list_bundle,
)

from contract_files import schema_errors
from mlflow_server import mlflow_server


def write_traces() -> list[str]:
    """Three traces through MLflow's public tracing API; their ids."""

    @mlflow.trace(span_type="CHAT_MODEL")
    def chat(question: str) -> str:
        span = mlflow.get_current_active_span()
        usage = {"input_tokens": 12, "output_tokens": 5, "total_tokens": 17}
        span.set_attribute("mlflow.chat.tokenUsage", usage)
        return f"an answer to {question}"

    @mlflow.trace(span_type="AGENT")
    def agent(question: str) -> str:
        with mlflow.start_span("retrieve", span_type="RETRIEVER") as span:
            span.set_inputs({"query": question})
            span.set_outputs([{"page_content": '<img src=x onerror="alert(1)">'}])
        return chat(question)

    @mlflow.trace(name="<script>alert(1)</script>")
    def failing() -> None:
        raise ValueError("boom <b>bold</b>")

    ids = []
    agent("what is 2^53 + 1?")
    ids.append(mlflow.get_last_active_trace_id())
    with mlflow.start_span("plain span") as span:
        span.set_attribute("long", "x" * 5000)
    ids.append(mlflow.get_last_active_trace_id())
    with pytest.raises(ValueError):
        failing()
    ids.append(mlflow.get_last_active_trace_id())
    mlflow.flush_trace_async_logging()
    return ids


@pytest.fixture
def tracking_uri():
    """Restores MLflow's tracking URI after the test."""
    before = mlflow.get_tracking_uri()
    yield
    mlflow.set_tracking_uri(before)


def rest(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def check_payload(trace, data: dict) -> None:
    bundle = data[TRACE_MIME_TYPE]
    assert schema_errors("trace", bundle) == []
    (entry,) = bundle["traces"]
    assert entry["trace_id"] == trace.info.trace_id
    # the spans are what MLflow's client reads back, nanoseconds exact
    assert entry["spans"] == [span.to_dict() for span in trace.data.spans]
    text = json.dumps(data)
    for span in trace.data.spans:
        assert span.start_time_ns > 2**53
        assert f'"start_time_unix_nano": {span.start_time_ns}' in text
    info = entry["info"]
    assert "execution_duration_ms" not in info
    duration_ms = trace.info.execution_duration
    assert float(info["execution_duration"].rstrip("s")) * 1000 == pytest.approx(duration_ms)
    assert trace.info.trace_id in data["text/plain"]
    assert trace.info.state.value in data["text/plain"]
    assert "<script>alert" not in data["text/html"] and "<img" not in data["text/html"]


def test_traces_of_a_sqlite_store(tmp_path, tracking_uri, monkeypatch):
    # A sqlite store keeps artifacts under ./mlruns of the working directory: not the checkout.
    monkeypatch.chdir(tmp_path)
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    mlflow.set_experiment("emitter")
    ids = write_traces()
    for trace_id in ids:
        trace = mlflow.get_trace(trace_id)
        data = trace_bundle([trace], tracking_uri=mlflow.get_tracking_uri())
        check_payload(trace, data)
        assert "tracking_uri" not in data[TRACE_MIME_TYPE]
    chat, plain, failing = (mlflow.get_trace(trace_id) for trace_id in ids)
    text = trace_bundle([chat, plain, failing])["text/plain"].splitlines()
    assert text[0].startswith(f'Trace {ids[0]} "agent" OK ')
    assert text[0].endswith(", 3 spans, 0 errors, 17 tokens")
    assert text[2].startswith(f'Trace {ids[2]} "<script>alert(1)</script>" ERROR ')
    html = trace_bundle([failing])["text/html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "ValueError: boom &lt;b&gt;bold&lt;/b&gt;" in html


def test_info_and_spans_equal_the_tracking_servers_rest_answers(tmp_path, tracking_uri):
    with mlflow_server(tmp_path / "server") as url:
        mlflow.set_tracking_uri(url)
        experiment_id = mlflow.set_experiment("emitter").experiment_id
        ids = write_traces()
        for trace_id in ids:
            trace = mlflow.get_trace(trace_id)
            written = trace_input(trace)
            info = rest(f"{url}/api/3.0/mlflow/traces/{trace_id}")["trace"]["trace_info"]
            assert written["info"] == info
            artifact = f"{url}/ajax-api/3.0/mlflow/get-trace-artifact?request_id={trace_id}"
            assert written["spans"] == rest(artifact)["spans"]
            data = trace_bundle([trace], tracking_uri=url)
            check_payload(trace, data)
            assert data[TRACE_MIME_TYPE]["tracking_uri"] == url
            link = mlflow_trace_ui_url(url, trace_id, written["info"])
            assert f"/#/experiments/{experiment_id}/" in link
            assert f'href="{escape_html(link)}"' in data["text/html"]
        infos = mlflow.search_traces(experiment_ids=[experiment_id], return_type="list")
        data = trace_list_bundle(
            infos,
            experiment_ids=[experiment_id],
            order_by=["timestamp_ms DESC"],
            tracking_uri=url,
        )
        bundle = data[TRACE_LIST_MIME_TYPE]
        assert schema_errors("trace-list", bundle) == []
        by_id = {row["trace_id"]: row for row in bundle["traces"]}
        assert sorted(by_id) == sorted(ids)
        for trace_id in ids:
            info = rest(f"{url}/api/3.0/mlflow/traces/{trace_id}")["trace"]["trace_info"]
            assert by_id[trace_id] == info
        assert data["text/plain"].startswith(
            f"MLflow traces: 3 traces; experiments {experiment_id}"
        )


def test_without_mlflows_serializer_info_is_mended_to_the_same_rest_shape(
    tmp_path, tracking_uri, monkeypatch
):
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    mlflow.set_experiment("emitter")
    ids = write_traces()
    expected = [trace_info_rest(mlflow.get_trace(trace_id).info) for trace_id in ids]

    def moved(*args, **kwargs):
        raise ImportError("message_to_json moved")

    monkeypatch.setattr("mlflow.utils.proto_json_utils.message_to_json", moved)
    mended = [trace_info_rest(mlflow.get_trace(trace_id).info) for trace_id in ids]
    assert mended == expected
    assert emitter._duration_text(48) == "0.048s"
    assert emitter._duration_text(2000) == "2s"
    assert emitter._duration_text(1.5) == "0.001500s"
