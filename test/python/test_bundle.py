"""The Python emitter (jupyterlab_mlflow_traces.bundle) against the contract:
its payloads validate, it shortens to the budget like the TypeScript
encoder, hostile strings stay escaped and credentials never appear."""

from __future__ import annotations

import json
import re

import pytest
from test_timeline_svg import TIMELINE_STRIP_TAG

from jupyterlab_mlflow_traces._js import stringify
from jupyterlab_mlflow_traces._shorten import shorten_spans
from jupyterlab_mlflow_traces.bundle import (
    TRACE_LIST_MIME_TYPE,
    TRACE_MIME_TYPE,
    encode_trace_bundle,
    trace_bundle,
    trace_list_bundle,
    well_formed_json,
)
from jupyterlab_mlflow_traces.fallback import render_trace_html, render_trace_text

from contract_files import CONTRACT, examples, load_json, recorded, schema_errors

MARKER = re.compile(r"… \[truncated [\d,]+ chars\]")
TRACE_REFERENCES = examples("trace")


def entries(path) -> list[dict]:
    return load_json(path)["traces"]


@pytest.mark.parametrize("kind", ["trace", "trace-list"])
def test_every_reference_validates_and_every_invalid_bundle_is_rejected(kind):
    for path in examples(kind):
        assert schema_errors(kind, load_json(path)) == [], path.name
    for case in load_json(CONTRACT / "invalid" / f"{kind}.json"):
        assert schema_errors(kind, case["bundle"]) != [], case["name"]


@pytest.mark.parametrize("path", TRACE_REFERENCES, ids=[p.stem for p in TRACE_REFERENCES])
def test_the_payload_of_each_reference_validates_and_keeps_it_whole(path):
    reference = load_json(path)
    data = trace_bundle(entries(path), tracking_uri=reference.get("tracking_uri"))
    bundle = data[TRACE_MIME_TYPE]
    assert schema_errors("trace", bundle) == []
    assert sorted(data) == sorted([TRACE_MIME_TYPE, "text/html", "text/plain"])
    for written, given in zip(bundle["traces"], reference["traces"], strict=True):
        assert written["trace_id"] == given["trace_id"]
        assert written.get("spans") == well_formed_json(given.get("spans"))


def test_the_python_encoder_writes_the_shortened_reference_as_the_typescript_one_does():
    traces = [recorded(label) for label in ("chat", "unicode", "error")]
    result = encode_trace_bundle(traces, "http://127.0.0.1:5000", max_bytes=12 * 1024)
    assert result.bundle == load_json(CONTRACT / "examples" / "trace" / "shortened-to-budget.json")
    assert result.size_bytes == len(stringify(result.bundle).encode("utf-8"))
    assert result.size_bytes <= 12 * 1024
    assert [entry.get("truncated") for entry in result.bundle["traces"]] == [
        None,
        {"max_string": 256, "spans_dropped": True},
        {"max_string": 256},
    ]


def test_the_budget_shortening_marks_truncated_and_keeps_json_values_json():
    trace = recorded("nested")
    big = {"documents": ["x" * 300_000, "y" * 10], "n": 2**53 - 1}
    trace["spans"][1]["attributes"]["mlflow.spanOutputs"] = json.dumps(big)
    data = trace_bundle([trace], max_bytes=64 * 1024)
    bundle = data[TRACE_MIME_TYPE]
    assert schema_errors("trace", bundle) == []
    assert len(stringify(bundle).encode("utf-8")) <= 64 * 1024
    entry = bundle["traces"][0]
    assert entry["truncated"] == {"max_string": 32768}
    outputs = json.loads(entry["spans"][1]["attributes"]["mlflow.spanOutputs"])
    assert MARKER.search(outputs["documents"][0])
    assert outputs["documents"][1] == "y" * 10
    assert outputs["n"] == 2**53 - 1
    # the fallbacks are written from the whole trace, as the tslab helper's are
    assert "10 spans" in data["text/plain"]


def test_a_trace_over_budget_even_shortened_is_written_as_its_id():
    trace = recorded("nested")
    data = trace_bundle([trace], max_bytes=1024)
    entry = data[TRACE_MIME_TYPE]["traces"][0]
    assert entry == {
        "trace_id": trace["trace_id"],
        "truncated": {"max_string": 256, "spans_dropped": True},
    }
    # the fallbacks still show the whole trace
    assert "10 spans" in data["text/plain"]


def test_ids_only():
    traces = [recorded(label) for label in ("nested", "error")]
    bundle = trace_bundle(traces, embed="ids")[TRACE_MIME_TYPE]
    assert bundle == {"version": 1, "traces": [{"trace_id": t["trace_id"]} for t in traces]}


def test_hostile_strings_stay_escaped():
    path = CONTRACT / "examples" / "trace" / "hostile-strings.json"
    reference = load_json(path)
    data = trace_bundle(entries(path), tracking_uri=reference["tracking_uri"])
    html = data["text/html"]
    assert "<script" not in html.lower() and "<img" not in html.lower()
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    assert {tag.split()[0].strip("<>") for tag in tags} <= {
        "div", "style", "ul", "li", "p", "strong", "code", "span", "a", "svg", "rect", "text",
        "title",
    }  # fmt: skip
    # The timeline strip's tags: numbers and constants only, by its grammar
    strip = [tag for tag in tags if tag.split()[0].strip("<>") in ("svg", "rect", "text", "title")]
    assert strip and all(TIMELINE_STRIP_TAG.fullmatch(tag) for tag in strip)
    for tag in tags:
        assert not re.search(r"\son\w+\s*=", tag, re.IGNORECASE), tag
        assert "javascript:" not in tag.lower(), tag
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith("http://127.0.0.1:5000/")
    assert "&lt;img src=x onerror=&quot;window.__xss" in html


def test_lone_surrogates_leave_as_the_replacement_character():
    path = CONTRACT / "examples" / "trace" / "hostile-strings.json"
    data = trace_bundle(entries(path))
    text = json.dumps(data, ensure_ascii=False)
    text.encode("utf-8")  # a notebook is saved as UTF-8: no lone surrogate may remain
    assert "lone \ufffd high and \ufffd low surrogates" in text


@pytest.mark.parametrize(
    "uri",
    [
        "http://alice:s3cret@127.0.0.1:5000/",
        "http://alice@127.0.0.1:5000",
        "HTTP://alice:s3cret@127.0.0.1:5000/base/",
    ],
)
def test_credentials_never_appear(uri):
    warnings: list[str] = []
    data = trace_bundle([recorded("chat")], tracking_uri=uri, warnings=warnings)
    text = json.dumps(data)
    assert "s3cret" not in text and "alice" not in text
    assert data[TRACE_MIME_TYPE]["tracking_uri"].startswith("http://127.0.0.1:5000")
    assert warnings == ["trackingUri held credentials: they are left out"]
    assert schema_errors("trace", data[TRACE_MIME_TYPE]) == []
    listed = trace_list_bundle([recorded("chat")["info"]], ["1"], tracking_uri=uri)
    assert "s3cret" not in json.dumps(listed) and "alice" not in json.dumps(listed)


@pytest.mark.parametrize(
    "uri", ["sqlite:///mlflow.db", "file:///tmp/mlruns", "databricks", "javascript:alert(1)"]
)
def test_a_tracking_uri_that_is_not_http_is_left_out(uri):
    data = trace_bundle([recorded("chat")], tracking_uri=uri)
    assert "tracking_uri" not in data[TRACE_MIME_TYPE]
    assert uri not in json.dumps(data)
    assert "Open in MLflow UI" not in data["text/html"]


def test_the_display_data_survive_the_jupyter_message_serializer_exactly():
    data = trace_bundle([recorded("nested")], tracking_uri="http://127.0.0.1:5000")
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    spans = json.loads(text)[TRACE_MIME_TYPE]["traces"][0]["spans"]
    assert spans == recorded("nested")["spans"]
    for span in recorded("nested")["spans"]:
        assert f'"start_time_unix_nano": {span["start_time_unix_nano"]}' in text
        assert span["start_time_unix_nano"] > 2**53


def test_the_fallbacks_are_those_of_the_inputs():
    traces = [recorded(label) for label in ("nested", "error")]
    data = trace_bundle(traces, tracking_uri="http://127.0.0.1:5000")
    assert data["text/html"] == render_trace_html(traces, "http://127.0.0.1:5000")
    assert data["text/plain"] == render_trace_text(traces)


def test_the_trace_list_payload_of_the_search_page():
    path = CONTRACT / "examples" / "trace-list" / "search-page.json"
    page = load_json(path)
    query = page["query"]
    data = trace_list_bundle(
        page["traces"],
        experiment_ids=query["experiment_ids"],
        filter=query["filter"],
        order_by=query["order_by"],
        max_results=query["max_results"],
        next_page_token=page["next_page_token"],
        tracking_uri=page["tracking_uri"],
    )
    assert data[TRACE_LIST_MIME_TYPE] == page
    golden = load_json(CONTRACT / "goldens" / "trace-list" / "search-page.json")
    assert data["text/html"] == golden["text/html"]
    assert data["text/plain"] == golden["text/plain"]


def test_an_integer_beyond_2_53_in_a_long_json_string_is_kept_as_written():
    # Cut as text, the way the TypeScript encoder must too, so both write the same bytes.
    text = '{"id": 9007199254740993, "text": "' + "x" * 1000 + '"}'
    spans, shortened = shorten_spans([{"attributes": {"text": text}}], 300)
    assert shortened == 1
    out = spans[0]["attributes"]["text"]
    assert out.startswith('{"id": 9007199254740993, "text": "xxx')
    assert out.endswith("… [truncated 736 chars]"), "1,036 characters cut to 300"
