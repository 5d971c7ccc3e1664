"""Writes the contract's reference bundles (contract/examples).

Run once from the repository root with the project's .venv Python; the
bundles are then kept as files. Traces recorded from a real mlflow server
(test/fixtures/recorded) and hostile strings (test/fixtures/xss-payloads.json)
go in as they are; Python's json keeps the nanosecond ints exact. Regenerate
the goldens after a change: node scripts/make-goldens.mjs.
"""

import json

R = "test/fixtures/recorded"
OUT = "contract/examples"


def rec(label):
    info = json.load(open(f"{R}/{label}.info.json"))["trace"]["trace_info"]
    spans = json.load(open(f"{R}/{label}.spans.json"))["spans"]
    return info, spans


def write(path, obj):
    with open(f"{OUT}/{path}", "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=True)
        f.write("\n")


URI = "http://127.0.0.1:5000"
ci, cs = rec("chat")
write(
    "trace/embedded-python-sdk.json",
    {
        "version": 1,
        "tracking_uri": URI,
        "traces": [{"trace_id": ci["trace_id"], "info": ci, "spans": cs}],
    },
)
ni, ns = rec("nested")
ei, es = rec("error")
write(
    "trace/fetched-ids.json",
    {
        "version": 1,
        "tracking_uri": URI,
        "traces": [{"trace_id": ni["trace_id"]}, {"trace_id": ei["trace_id"]}],
    },
)
write(
    "trace/multi-trace.json",
    {
        "version": 1,
        "tracking_uri": URI,
        "compare": True,
        "traces": [
            {"trace_id": ni["trace_id"], "info": ni, "spans": ns},
            {"trace_id": ei["trace_id"], "info": ei, "spans": es},
        ],
    },
)
P = {p["id"]: p["payload"] for p in json.load(open("test/fixtures/xss-payloads.json"))["payloads"]}


def b64(n, i):
    import base64

    return base64.b64encode(i.to_bytes(n, "big")).decode()


T0 = 1795465496370102449
tid = b64(16, 0x0123456789ABCDEF0123456789ABCDEF)


def span(i, parent, name, stype, code="STATUS_CODE_OK", msg="", attrs=None, events=None, sid=None):
    a = {
        "mlflow.traceRequestId": json.dumps("tr-0123456789abcdef0123456789abcdef"),
        "mlflow.spanType": json.dumps(stype),
    }
    a.update(attrs or {})
    return {
        "trace_id": tid,
        "span_id": sid or b64(8, 0x1000 + i),
        "parent_span_id": parent
        if parent is None or isinstance(parent, str) and not parent.isdigit()
        else b64(8, 0x1000 + int(parent)),
        "name": name,
        "start_time_unix_nano": T0 + i * 1_000_000,
        "end_time_unix_nano": T0 + 90_000_000 - i * 1000,
        "events": events or [],
        "status": {"code": code, "message": msg},
        "attributes": a,
        "links": [],
    }


spans = [
    span(
        0,
        None,
        P["p003"],
        "AGENT",
        attrs={
            "mlflow.spanInputs": json.dumps({"q": P["p000"]}),
            "mlflow.spanOutputs": json.dumps(P["p019"]),
        },
    ),
    span(
        1,
        "0",
        P["p007"],
        "<script>alert(1)</script>",
        attrs={
            "mlflow.chat.tokenUsage": json.dumps(
                {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7}
            )
        },
    ),
    span(
        2,
        "1",
        P["p016"],
        "TOOL",
        code="STATUS_CODE_ERROR",
        msg=P["p017"] + " " + P["p024"],
        events=[
            {
                "name": "exception",
                "time_unix_nano": T0 + 2_500_000,
                "attributes": {
                    "exception.type": P["p002"],
                    "exception.message": P["p034"],
                    "exception.stacktrace": P["p041"],
                },
            }
        ],
    ),
    span(
        3,
        "0",
        P["p061"],
        "LLM",
        attrs={
            "mlflow.spanInputs": json.dumps(P["p067"], ensure_ascii=False),
            "javascript:alert(1)": json.dumps(P["p020"]),
        },
    ),
    span(4, "0", P["p062"] + P["p066"], "RETRIEVER"),
    span(5, "0", P["p060"] + "\n" + P["p067"], "PARSER"),
    span(
        6,
        "0",
        "lone \ud800 high and \udc00 low surrogates",
        "CHAIN",
        attrs={"mlflow.spanOutputs": json.dumps("cut emoji \ud83d")},
    ),
    span(7, "0", P["p069"], P["p070"]),
    span(8, None, P["p051"], "CHAIN", sid="<b>not-an-id</b>"),
    span(9, "<i>missing parent</i>", P["p052"], "UNKNOWN"),
    span(10, None, P["p053"], "CHAIN", sid="<b>not-an-id</b>"),
]
info = {
    "trace_id": "tr-0123456789abcdef0123456789abcdef",
    "trace_location": {
        "type": "MLFLOW_EXPERIMENT",
        "mlflow_experiment": {"experiment_id": '1"><img src=x onerror=alert(1)>'},
    },
    "request_preview": P["p000"],
    "response_preview": P["p028"],
    "request_time": "2026-11-23T20:24:56.370Z",
    "execution_duration": "0.090s",
    "state": "ERROR",
    "trace_metadata": {
        "mlflow.trace_schema.version": "3",
        "mlflow.traceInputs": P["p000"],
        "mlflow.trace.user": P["p033"],
    },
    "tags": {"mlflow.traceName": P["p007"] + " " + P["p061"], P["p009"]: P["p044"]},
}
write(
    "trace/hostile-strings.json",
    {
        "version": 1,
        "tracking_uri": 'http://127.0.0.1:5000/"><script>alert(1)</script>',
        "traces": [
            {"trace_id": info["trace_id"], "info": info, "spans": spans},
            {"trace_id": P["p034"]},
        ],
    },
)
ui, us = rec("unicode")
write(
    "trace-list/search-page.json",
    {
        "version": 1,
        "tracking_uri": URI,
        "query": {
            "experiment_ids": ["1"],
            "filter": "trace.status = 'OK' AND tags.x = '" + P["p003"] + "'",
            "order_by": ["timestamp_ms DESC"],
            "max_results": 4,
        },
        "traces": [ni, ei, ci, ui, dict(info, trace_id=P["p003"])],
        "next_page_token": "eyJvZmZzZXQiOiA0fQ==",
    },
)
p = "contract/examples/trace/hostile-strings.json"
b = json.load(open(p))
T0 = 1795465496000000000


def sid(i):
    return "%016x" % (0xABC000 + i)


spans = [
    {
        "span_id": sid(0),
        "parent_span_id": "",
        "name": "\U0001f600" * 100,
        "start_time_unix_nano": str(T0),
        "end_time_unix_nano": str(T0 + 125_500_000_000),
        "status": {"code": "STATUS_CODE_OK"},
        "attributes": {
            "mlflow.spanType": '"CHAIN"',
            "mlflow.chat.tokenUsage": json.dumps(
                {"input_tokens": 1234567.5, "output_tokens": "12", "total_tokens": None}
            ),
        },
    },
    {
        "span_id": sid(1),
        "parent_span_id": sid(0),
        "name": "rounds up to a second",
        "start_time_unix_nano": T0 + 1000,
        "end_time_unix_nano": T0 + 1000 + 999_600_000,
        "status": {"code": "ERROR", "message": "x" * 198 + "\U0001f600" + " tail"},
        "attributes": {"mlflow.spanType": "NaN"},
    },
    {
        "span_id": sid(2),
        "parent_span_id": sid(0),
        "name": "tiny",
        "start_time_unix_nano": T0 + 2000,
        "end_time_unix_nano": T0 + 2400,
        "status": {"code": "error", "message": "lower-case status"},
        "attributes": {
            "openinference.span.kind": "retriever",
            "mlflow.chat.tokenUsage": '{"prompt_tokens": 3, "completion_tokens": 4}',
        },
    },
    {
        "span_id": sid(3),
        "parent_span_id": sid(0),
        "name": "still running",
        "start_time_unix_nano": T0 + 3000,
        "end_time_unix_nano": 0,
        "status": {"code": "STATUS_CODE_UNSET"},
        "attributes": {"mlflow.spanType": '"TOOL"'},
    },
    {
        "span_id": sid(3),
        "parent_span_id": sid(3),
        "name": "duplicate id",
        "start_time_unix_nano": T0 + 4000,
        "end_time_unix_nano": T0 + 5000,
        "status": {"code": "OK"},
        "attributes": {},
    },
    {
        "span_id": sid(5),
        "parent_span_id": sid(6),
        "name": "cycle a",
        "start_time_unix_nano": T0 + 6000,
        "end_time_unix_nano": T0 + 7000,
        "attributes": {},
    },
    {
        "span_id": sid(6),
        "parent_span_id": sid(5),
        "name": "cycle b",
        "start_time_unix_nano": T0 + 5000,
        "end_time_unix_nano": T0 + 7000,
        "attributes": {},
    },
    {
        "name": "legacy MLflow 2 span",
        "context": {"span_id": "0x" + sid(7).upper(), "trace_id": "0x" + "ab" * 16},
        "parent_id": "0x" + sid(0),
        "start_time": T0 + 8000,
        "end_time": T0 + 130_000_000_000,
        "status_code": "ERROR",
        "status_message": "outside its parent",
        "attributes": {"mlflow.spanType": '"LLM"'},
        "events": [{"name": "exception", "timestamp": T0 + 9000, "attributes": {}}],
    },
    {
        "span_id": sid(8),
        "parent_span_id": sid(0),
        "name": "starts before its parent",
        "start_time_unix_nano": T0 - 2_000_000,
        "end_time_unix_nano": T0 + 10,
        "attributes": {
            "mlflow.spanType": '"<b>custom</b> type that is longer than forty characters"'
        },
    },
]
b["traces"].append(
    {
        "trace_id": "tr-edge-cases",
        "info": {
            "trace_id": "tr-edge-cases",
            "state": "STATE_UNSPECIFIED",
            "execution_duration": "1.5s",
            "trace_location": {
                "type": "MLFLOW_EXPERIMENT",
                "mlflow_experiment": {"experiment_id": "7"},
            },
        },
        "spans": spans,
        "truncated": {"max_string": 1024},
    }
)
json.dump(b, open(p, "w"), indent=2, ensure_ascii=True)
open(p, "a").write("\n")


def shortened_to_budget() -> None:
    """Three recorded traces through the Python encoder with a 12 KiB budget:
    one kept whole, one with strings shortened, one whose spans are dropped.
    Both encoders must write this bundle from those traces."""
    import sys

    sys.path.insert(0, ".")
    from jupyterlab_mlflow_traces.bundle import encode_trace_bundle

    traces = []
    for label in ENCODED_LABELS:
        info, spans = rec(label)
        traces.append({"trace_id": info["trace_id"], "info": info, "spans": spans})
    result = encode_trace_bundle(traces, URI, max_bytes=ENCODED_MAX_BYTES)
    write("trace/shortened-to-budget.json", result.bundle)


#: The recorded traces and the budget of trace/shortened-to-budget.json.
ENCODED_LABELS = ["chat", "unicode", "error"]
ENCODED_MAX_BYTES = 12 * 1024
shortened_to_budget()


def conversations() -> None:
    """Every trace MLflow's autologging integrations recorded
    (test/fixtures/conversations), and one trace of hostile chat spans: the
    fallbacks write each chat span's messages, and both emitters must write
    the same bytes."""
    import glob

    traces = []
    for path in sorted(glob.glob("test/fixtures/conversations/*.json")):
        for trace in json.load(open(path))["traces"]:
            traces.append({"trace_id": trace["trace_id"], "spans": trace["spans"]})
    payloads = list(P.values())
    hostile_messages = [
        {"role": P["p003"], "content": P["p000"]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": P["p007"]},
                {"type": "image_url", "image_url": {"url": "javascript:alert(1)"}},
                {"type": "image_url", "image_url": {"url": P["p020"]}},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png?<b>"}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "reasoning_content": P["p016"],
            "tool_calls": [
                {
                    "id": P["p017"],
                    "type": "function",
                    "function": {
                        "name": P["p024"],
                        "arguments": json.dumps({"x": P["p034"], "pad": "y" * 2100}),
                    },
                }
            ],
        },
        {"role": "tool", "tool_call_id": P["p017"], "content": P["p041"]},
    ]
    many = [
        {"role": "user", "content": f"message {i} {payloads[i % len(payloads)]}"} for i in range(60)
    ]
    chat_spans = [
        span(
            i,
            None if i == 0 else "0",
            f"chat {i}",
            "CHAT_MODEL",
            attrs={
                "mlflow.message.format": json.dumps("openai"),
                "mlflow.spanInputs": json.dumps({"messages": many if i == 1 else hostile_messages}),
                "mlflow.spanOutputs": json.dumps(
                    {
                        "choices": [
                            {"message": {"role": "assistant", "content": P["p028"] + "x" * 2500}}
                        ]
                    }
                ),
            },
        )
        for i in range(12)
    ]
    traces.append({"trace_id": "tr-hostile-chat", "spans": chat_spans})
    write(
        "trace/conversations.json",
        {"version": 1, "tracking_uri": URI, "traces": traces},
    )


conversations()


def assessments() -> None:
    """A recorded trace labelled with MLflow's own API (every kind of
    assessment, one superseded: test/fixtures/record_assessments.py), and the
    same trace with hostile assessments: every payload in every field, long
    values, unreadable entries, and more than the fallbacks list."""
    info, spans = rec("assessed")
    write(
        "trace/assessments.json",
        {
            "version": 1,
            "tracking_uri": URI,
            "traces": [{"trace_id": info["trace_id"], "info": info, "spans": spans}],
        },
    )
    span_ids = [a.get("span_id") for a in info["assessments"] if a.get("span_id")]
    payloads = list(P.values())
    hostile = []
    for i, payload in enumerate(payloads):
        other = payloads[(i + 7) % len(payloads)]
        entry = {
            "assessment_id": f"a-hostile-{i}",
            "assessment_name": payload,
            "trace_id": info["trace_id"],
            "source": {"source_type": other, "source_id": payloads[(i + 13) % len(payloads)]},
            "create_time": "2026-12-07T05:53:27.501Z",
            "last_update_time": "2026-12-07T05:53:27.501Z",
            "rationale": payloads[(i + 29) % len(payloads)]
            + ("\n" + "r" * 400 if i % 5 == 0 else ""),
            "valid": i % 9 != 4,
        }
        if i % 3 == 0:
            entry["span_id"] = span_ids[i % len(span_ids)] if i % 6 == 0 else payload
        kind = i % 4
        if kind == 0:
            entry["feedback"] = {"value": other + "v" * (300 if i % 8 == 0 else 0)}
        elif kind == 1:
            entry["feedback"] = {
                "value": None,
                "error": {"error_code": payload, "error_message": other},
            }
        elif kind == 2:
            entry["expectation"] = {"value": {"k": [payload, i, i / 4, True, None]}}
        else:
            entry["issue"] = {"issue_name": other}
        hostile.append(entry)
    hostile += [
        {"assessment_name": 7, "feedback": {"value": True}},
        {"assessment_name": "no kind", "valid": True},
        {
            "assessment_name": "serialized",
            "expectation": {"serialized_value": {"value": P["p000"]}},
        },
        {"assessment_name": "bare error", "feedback": {"error": {}}},
        {"assessment_name": "no value", "feedback": {}, "source": ["HUMAN"]},
    ]
    hostile += [
        {"assessment_name": f"padding {i}", "feedback": {"value": i % 2 == 0}, "valid": True}
        for i in range(40)
    ]
    hostile_info = dict(info, trace_id="tr-hostile-assessments", assessments=hostile)
    write(
        "trace/hostile-assessments.json",
        {
            "version": 1,
            "tracking_uri": URI,
            "traces": [
                {"trace_id": "tr-hostile-assessments", "info": hostile_info, "spans": spans},
                {"trace_id": "tr-no-spans", "info": dict(hostile_info, trace_id="tr-no-spans")},
            ],
        },
    )


assessments()
