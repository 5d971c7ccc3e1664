"""Writes the contract's live reference bundles (contract/examples/trace/live-*.json).

Run once from the repository root with the project's .venv Python; the
bundles are then kept as files. Each is a trace MLflow's Python SDK wrote
(test/fixtures/recorded) as a live output would have shown it at a moment
T of its run: the spans started by T, those still open at T as MLflow's
``LiveSpan.to_dict()`` writes them (end null, status unset, no outputs),
and the info as it stands while the trace runs. Regenerate the goldens
after a change: node scripts/make-goldens.mjs.
"""

import json
import sys

sys.path.insert(0, ".")

from jupyterlab_mlflow_traces._live_snapshot import bound_live_snapshot  # noqa: E402

R = "test/fixtures/recorded"
OUT = "contract/examples/trace"
URI = "http://127.0.0.1:5000"
#: The info fields and metadata MLflow writes when a trace ends.
END_FIELDS = ("execution_duration", "response_preview")
END_METADATA = (
    "mlflow.trace.sizeBytes",
    "mlflow.trace.sizeStats",
    "mlflow.trace.infoFinalized",
    "mlflow.trace.tokenUsage",
    "mlflow.traceOutputs",
)
#: The attributes MLflow sets when a span ends.
END_ATTRIBUTES = ("mlflow.spanOutputs", "mlflow.chat.tokenUsage")


def rec(label):
    info = json.load(open(f"{R}/{label}.info.json"))["trace"]["trace_info"]
    spans = json.load(open(f"{R}/{label}.spans.json"))["spans"]
    return info, spans


def write(path, obj):
    with open(f"{OUT}/{path}", "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=True)
        f.write("\n")


def running_info(info):
    """The info of a trace still running: IN_PROGRESS, nothing MLflow writes at its end."""
    out = {key: value for key, value in info.items() if key not in END_FIELDS}
    out["state"] = "IN_PROGRESS"
    metadata = info["trace_metadata"].items()
    out["trace_metadata"] = {k: v for k, v in metadata if k not in END_METADATA}
    return out


def at_moment(spans, t_ns):
    """The spans started by ``t_ns``; those open then as running spans."""
    out = []
    for span in spans:
        if span["start_time_unix_nano"] > t_ns:
            continue
        if span["end_time_unix_nano"] > t_ns:
            attributes = span["attributes"].items()
            span = dict(span, end_time_unix_nano=None)
            span["status"] = {"code": "STATUS_CODE_UNSET", "message": ""}
            span["attributes"] = {k: v for k, v in attributes if k not in END_ATTRIBUTES}
        out.append(span)
    return out


def start_of(spans, name, nth=0):
    return [s for s in spans if s["name"] == name][nth]["start_time_unix_nano"]


def live_running():
    """The nested agent while its last LLM call runs, as an update bounded so
    that its two oldest ended spans are left out (``spans_omitted``)."""
    info, spans = rec("nested")
    t_ns = start_of(spans, "chat_completion") + 200_000
    entry = {
        "trace_id": info["trace_id"],
        "info": running_info(info),
        "spans": at_moment(spans, t_ns),
        "live": {
            "status": "running",
            "updated_unix_ms": t_ns // 1_000_000 + 1,
            "update_every_ms": 2000,
            "sequence": 7,
        },
    }
    whole = len(json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode())
    snapshot = bound_live_snapshot(entry, whole - 1200)
    assert snapshot["live"].get("spans_omitted") == 2, snapshot["live"]
    write("live-running.json", {"version": 1, "tracking_uri": URI, "traces": [snapshot]})


def live_interrupted():
    """The chat trace cut off by a kernel interrupt during its second LLM
    call, with a hostile reason (an exception message is user data)."""
    info, spans = rec("chat")
    payloads = json.load(open("test/fixtures/xss-payloads.json"))["payloads"]
    hostile = {p["id"]: p["payload"] for p in payloads}
    t_ns = start_of(spans, "chat_completion", 1) + 150_000
    reason = "KeyboardInterrupt: " + hostile["p003"] + "\n" + hostile["p017"]
    entry = {
        "trace_id": info["trace_id"],
        "info": running_info(info),
        "spans": at_moment(spans, t_ns),
        "live": {
            "status": "interrupted",
            "updated_unix_ms": t_ns // 1_000_000 + 3,
            "update_every_ms": 2000,
            "sequence": 4,
            "interrupted_at_unix_nano": t_ns,
            "reason": reason,
        },
    }
    write("live-interrupted.json", {"version": 1, "tracking_uri": URI, "traces": [entry]})


live_running()
live_interrupted()
