"""The Python fallbacks equal the TypeScript ones on generated traces: a
seeded matrix of span shapes, times, names and figures (emoji, lone
surrogates, control characters, long strings, odd numbers, cycles,
orphans, duplicate ids), rendered by both and compared byte for byte."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from jupyterlab_mlflow_traces.fallback import (
    render_trace_html,
    render_trace_list_html,
    render_trace_list_text,
    render_trace_text,
)

from contract_files import typescript_renders

SEED = 20261130
TRACES = 300
T0 = 1_795_465_496_370_102_449
NAMES = [
    "rag_agent", "", " ", "😀" * 70, "a" * 119 + "😀", "x" * 500, "\ud800 lone", "lone \udc00",
    "tab\there\nnew line\u2028sep", "\x00\x7f", "<script>alert(1)</script>", '"quoted" & \'apos\'',
    "\u202egnp.exe", "ß ﬁ ǅ", "0x1234", "__proto__", "constructor", "名前",
]  # fmt: skip
COUNTS = [
    0, 1, 2, 999, 1000, 1234567, 1.5, 2.5, -3, 1e21, 1e300, "12", " 7 ", "0x10", "1e3", "",
    "abc", None, True, [], {"n": 1},
]  # fmt: skip
DURATIONS_NS = [
    0, 1, 499, 500, 999_499, 999_500, 1_000_000, 12_345_678, 999_499_999, 999_500_000,
    59_950_000_000, 59_949_999_999, 125_500_000_000, 3_600_000_000_000, 256, 1_000_000_001,
]  # fmt: skip
DURATION_TEXT = ["0.244s", "1.5s", "2s", " 3.25s ", "-1s", "1.5", "s", "1e3s", "\u00a00.5s"]
STATES = ["OK", "ERROR", "IN_PROGRESS", "STATE_UNSPECIFIED", "", "weird <state>", None]
SPAN_TYPES = ['"LLM"', '"TOOL"', '""', "NaN", '"custom type that is quite a bit longer than 40"',
              '{"a": 1}', "not json", '"AGENT"', None]  # fmt: skip
TRACKING_URIS = [
    "http://127.0.0.1:5000/", "sqlite:///x.db", "http://[::1]:5000", "http://[::1", "http://a<b",
    "http://x:99999", "https://example.com:443/", "http://1.2.3.999", "http://1.2.3.4.5",
    "http://u@h:5000", "http://:@h", "http://h\\path", "HTTP://EXAMPLE.com//", "http://例え.jp/",
    "http://a b", " http://padded.example/ ", "javascript:alert(1)", "http://h/p?q=<x>#f",
    "http://0x7f.1", "http://256.1.1.1", "http://h:", "http://%41.example", "https://",
]  # fmt: skip
USAGE_KEYS = ("input_tokens", "output_tokens", "total_tokens")
CODES = ["STATUS_CODE_OK", "STATUS_CODE_ERROR", "STATUS_CODE_UNSET", "ok", "Error", 1, 2, None]


def span_id(rng: random.Random, i: int, count: int) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.1:
        return f"{rng.randrange(count):016x}"  # a duplicate, often
    return f"{0xABC000 + i:016x}"


def make_span(rng: random.Random, i: int, count: int) -> dict:
    start = T0 + rng.randrange(0, 10**9)
    end = start + rng.choice(DURATIONS_NS)
    span: dict = {
        "trace_id": "ASNFZ4mrze8BI0VniavN7w==",
        "span_id": span_id(rng, i, count),
        "parent_span_id": None
        if i == 0 or rng.random() < 0.1
        else f"{0xABC000 + rng.randrange(count + 2):016x}",
        "name": rng.choice(NAMES),
        "start_time_unix_nano": rng.choice([start, str(start), start + 0.5, None]),
        "end_time_unix_nano": rng.choice([end, str(end), None, 0, start - 10]),
        "status": {"code": rng.choice(CODES), "message": rng.choice(NAMES)},
        "attributes": {},
        "events": rng.choice([[], [{"name": "exception", "time_unix_nano": start}]]),
    }
    span_type = rng.choice(SPAN_TYPES)
    if span_type is not None:
        span["attributes"]["mlflow.spanType"] = span_type
    if rng.random() < 0.3:
        usage = {key: rng.choice(COUNTS) for key in USAGE_KEYS}
        span["attributes"]["mlflow.chat.tokenUsage"] = json.dumps(usage)
    if rng.random() < 0.05:
        span["attributes"] = {"openinference.span.kind": rng.choice(["llm", "Tool", ""])}
    return span


def make_info(rng: random.Random, trace_id: str) -> dict:
    info: dict = {"trace_id": trace_id}
    if rng.random() < 0.8:
        info["trace_location"] = {"mlflow_experiment": {"experiment_id": rng.choice(["1", "a b"])}}
    for key, pool in (("state", STATES), ("execution_duration", DURATION_TEXT)):
        if rng.random() < 0.7:
            info[key] = rng.choice(pool)
    if rng.random() < 0.5:
        info["tags"] = {"mlflow.traceName": rng.choice(NAMES)}
    if rng.random() < 0.3:
        usage = {key: rng.choice(COUNTS) for key in USAGE_KEYS}
        info["trace_metadata"] = {"mlflow.trace.tokenUsage": json.dumps(usage)}
    if rng.random() < 0.3:
        info["request_preview"] = rng.choice(NAMES)
        info["request_time"] = "2026-11-23T20:24:56.370Z"
    return info


def generated() -> list[dict]:
    rng = random.Random(SEED)
    items = []
    for n in range(TRACES):
        count = rng.choice([0, 1, 2, 5, 12])
        trace_id = f"tr-{n:032x}"
        entry: dict = {"trace_id": trace_id}
        if rng.random() < 0.9:
            entry["info"] = make_info(rng, trace_id)
        if rng.random() < 0.9:
            entry["spans"] = [make_span(rng, i, count) for i in range(count)]
        if rng.random() < 0.2:
            entry["truncated"] = {"max_string": rng.choice([256, 65536, 1.5])}
        bundle = {
            "version": 1,
            "tracking_uri": rng.choice(TRACKING_URIS),
            "traces": [entry],
        }
        items.append({"kind": "trace", "data": bundle})
        if "info" in entry:
            rows = {"version": 1, "query": {"experiment_ids": ["1"], "order_by": []}}
            rows["tracking_uri"] = rng.choice(TRACKING_URIS)
            rows["traces"] = [entry["info"], make_info(rng, f"tr-{n:031x}z")]
            items.append({"kind": "trace-list", "data": rows})
    return items


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_fallbacks_agree_on_generated_traces(tmp_path):
    items = generated()
    expected = typescript_renders(items, tmp_path)
    compared = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        if golden is None:
            continue  # the TypeScript fallbacks threw (reported separately)
        data = item["data"]
        if item["kind"] == "trace":
            written = {"text/html": render_trace_html(data), "text/plain": render_trace_text(data)}
        else:
            written = {
                "text/html": render_trace_list_html(data),
                "text/plain": render_trace_list_text(data),
            }
        assert written["text/plain"] == golden["text/plain"], f"item {i}: {json.dumps(data)}"
        assert written["text/html"] == golden["text/html"], f"item {i}: {json.dumps(data)}"
        compared += 1
    assert compared >= len(items) * 0.95


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_an_otlp_int_of_5000_digits_renders_as_typescript_renders_it(tmp_path):
    """Python converts at most 4,300 digits to an int; the fallback must not raise."""
    digits = "9" * 5000
    attributes = [
        {"key": key, "value": {"int_value": digits}}
        for key in ("mlflow.spanType", "mlflow.chat.tokenUsage", "mlflow.spanInputs")
    ]
    span = {"span_id": "a" * 16, "name": "huge int", "start_time_unix_nano": T0,
            "end_time_unix_nano": T0 + 10**6, "attributes": attributes}  # fmt: skip
    bundle = {"version": 1, "traces": [{"trace_id": "tr-1", "spans": [span]}]}
    [golden] = typescript_renders([{"kind": "trace", "data": bundle}], tmp_path)
    assert golden is not None
    assert render_trace_html(bundle) == golden["text/html"]
    assert render_trace_text(bundle) == golden["text/plain"]


def test_a_json_int_of_5000_digits_renders_as_typescript_renders_it(tmp_path):
    """A chat span whose inputs' JSON holds an integer Python will not convert:
    TypeScript keeps its digits and writes the conversation; so must Python."""
    inputs = '{"messages":[{"role":"user","content":"hi"}],"n":' + "1" * 5000 + "}"
    attributes = {"mlflow.spanType": '"CHAT_MODEL"', "mlflow.spanInputs": inputs}
    span = {"span_id": "a" * 16, "name": "chat", "start_time_unix_nano": T0,
            "end_time_unix_nano": T0 + 10**6, "attributes": attributes}  # fmt: skip
    bundle = {"version": 1, "traces": [{"trace_id": "tr-1", "spans": [span]}]}
    [golden] = typescript_renders([{"kind": "trace", "data": bundle}], tmp_path)
    assert 'class="jp-MlflowTraceFallback-chat"' in golden["text/html"]
    assert render_trace_html(bundle) == golden["text/html"]


ASSESSMENT_VALUES = [
    True, False, 0, 1, 0.5, 1.0, -0.0, 1e21, 1e-7, 2**53 + 2, "yes", "", "multi\nline", None,
    [1, "a", None], {"b": 1, "a": [True], "2": "x", "1": "y"}, {"__proto__": 1}, "x" * 500,
    "\ud800 lone", "😀" * 150,
]  # fmt: skip
SOURCE_TYPES = ["HUMAN", "LLM_JUDGE", "CODE", "SOURCE_TYPE_UNSPECIFIED", "", None, 7, "<b>"]
SPAN_REFS = [None, "q8ADAAAAAAA=", "0xABC0000000000001", "0000000000abc002", "missing", "", 5]


def make_assessment(rng: random.Random, n: int) -> object:
    """One entry of info.assessments: every kind and field in odd shapes."""
    roll = rng.random()
    if roll < 0.03:
        return rng.choice(["not a record", 7, None, []])
    item: dict = {"assessment_id": f"a-{n}"}
    if rng.random() < 0.95:
        item["assessment_name"] = rng.choice(NAMES + [1])
    kind = rng.choice(["feedback", "error", "expectation", "serialized", "issue", "none"])
    value = rng.choice(ASSESSMENT_VALUES)
    if kind == "feedback":
        item["feedback"] = {"value": value} if rng.random() < 0.9 else {}
    elif kind == "error":
        error = {"error_code": rng.choice(NAMES + [None]), "error_message": rng.choice(NAMES)}
        # A value beside an error too: shown by its error, as MLflow's UI shows it
        shown_value = rng.choice([None, None, value])
        item["feedback"] = {"value": shown_value, "error": rng.choice([error, {}, "oops"])}
    elif kind == "expectation":
        item["expectation"] = {"value": value}
    elif kind == "serialized":
        item["expectation"] = {"serialized_value": rng.choice([{"value": json.dumps(value)}, {}])}
    elif kind == "issue":
        item["issue"] = {"issue_name": rng.choice(NAMES + [None])}
    source = {"source_type": rng.choice(SOURCE_TYPES), "source_id": rng.choice(NAMES + [None])}
    item["source"] = rng.choice([source, source, None, "HUMAN"])
    if rng.random() < 0.6:
        item["rationale"] = rng.choice(NAMES + [None, "r" * 400])
    span_ref = rng.choice(SPAN_REFS)
    if span_ref is not None:
        item["span_id"] = span_ref
    if rng.random() < 0.7:
        item["valid"] = rng.choice([True, True, False, None, 0, "false"])
    return item


def assessed_traces() -> list[dict]:
    """Trace and trace-list bundles whose infos hold generated assessments
    (some more than are listed)."""
    rng = random.Random(SEED + 21)
    items = []
    for n in range(120):
        count = rng.choice([0, 1, 3, 6])
        trace_id = f"tr-{n:032x}"
        info = make_info(rng, trace_id)
        size = rng.choice([0, 1, 3, 10, 40, 200])
        info["assessments"] = [make_assessment(rng, i) for i in range(size)]
        if rng.random() < 0.05:
            info["assessments"] = rng.choice([None, "x", {"a": 1}])
        entry: dict = {"trace_id": trace_id, "info": info}
        if rng.random() < 0.85:
            entry["spans"] = [make_span(rng, i, count) for i in range(count)]
        items.append({"kind": "trace", "data": {"version": 1, "traces": [entry]}})
        rows = {"version": 1, "query": {"experiment_ids": ["1"], "order_by": []}, "traces": [info]}
        items.append({"kind": "trace-list", "data": rows})
    return items


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_fallbacks_agree_on_assessments(tmp_path):
    items = assessed_traces()
    expected = typescript_renders(items, tmp_path)
    listed = bounded = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        assert golden is not None, f"item {i}: the TypeScript fallbacks threw"
        data = item["data"]
        trace = item["kind"] == "trace"
        text = render_trace_text(data) if trace else render_trace_list_text(data)
        html = render_trace_html(data) if trace else render_trace_list_html(data)
        assert text == golden["text/plain"], f"item {i}: {json.dumps(data)}"
        assert html == golden["text/html"], f"item {i}: {json.dumps(data)}"
        listed += "jp-MlflowTraceFallback-assessment" in golden["text/html"]
        bounded += "more assessment" in golden["text/html"]
    assert listed >= len(items) // 4  # half the traces (every other item is a list)
    assert bounded > 0
