"""The live part of the contract in Python: ``bound_live_snapshot`` makes the
snapshot ``boundLiveSnapshot`` makes (src/bundle/livesnapshot.ts) of
generated live traces, the decoder reads ``live`` as the TypeScript one
does, and the encoder writes ``live`` through."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from test_encoder_parity import exact_to_double

from jupyterlab_mlflow_traces._decode import decode_trace_bundle
from jupyterlab_mlflow_traces._js import json_size
from jupyterlab_mlflow_traces._live_snapshot import (
    LIVE_MAX_BYTES_PER_S,
    LIVE_MAX_SNAPSHOT_BYTES,
    LIVE_MIN_INTERVAL_MS,
    LIVE_UPDATE_EVERY_MS,
    _required_spans,
    bound_live_snapshot,
    next_update_delay_ms,
)
from jupyterlab_mlflow_traces.bundle import encode_trace_bundle, trace_bundle

from contract_files import recorded, schema_errors, typescript_renders

SEED = 20
CASES = 160
# Beyond 2^53: ends 100 ns apart round to the same double, on both sides alike
T0 = 1_795_465_496_370_102_449
PIECES = ["a", "é", "😀", "\ud800", "<b>", '"', "\\", "\n", "名"]


def text(rng: random.Random, longest: int) -> str:
    size = rng.choice([0, 5, 200, 300, longest // 4, longest])
    piece = rng.choice(PIECES)
    return (piece * (size // len(piece) + 1))[:size]


def make_span(rng: random.Random, i: int, parent: int | None, longest: int) -> dict:
    start = T0 + i * rng.choice([1, 100, 1_000_000])
    end: object = start + rng.choice([0, 50, 100, 10_000_000])
    roll = rng.random()
    if roll < 0.25:
        end = None
    elif roll < 0.3:
        end = str(end)
    elif roll < 0.33:
        end = 0
    span = {
        "trace_id": "AAAAAAAAAAAAAAAAAAAAAA==",
        "span_id": f"{i:016x}",
        "parent_span_id": None if parent is None else f"{parent:016x}",
        "name": text(rng, 300),
        "start_time_unix_nano": start,
        "end_time_unix_nano": end,
        "status": {"code": "STATUS_CODE_UNSET" if end is None else "STATUS_CODE_OK"},
        "attributes": {
            "mlflow.spanType": json.dumps("TOOL"),
            "mlflow.spanInputs": json.dumps({"q": text(rng, longest)}, ensure_ascii=False),
        },
        "events": [],
    }
    if rng.random() < 0.05:
        del span["end_time_unix_nano"]
    return span


def make_live_trace(rng: random.Random, n: int) -> dict:
    longest = rng.choice([100, 5000, 100_000])
    count = rng.choice([1, 3, 20, 120])
    spans: list = []
    for i in range(count):
        parent = None if i == 0 or rng.random() < 0.05 else rng.randrange(i)
        spans.append(make_span(rng, i, parent, longest))
    if count > 3 and rng.random() < 0.2:  # a cycle, a duplicate id, a non-span entry
        spans[1]["parent_span_id"] = spans[2]["span_id"]
        spans[2]["parent_span_id"] = spans[1]["span_id"]
        spans[3]["span_id"] = spans[0]["span_id"]
        spans.insert(rng.randrange(len(spans)), rng.choice([None, "span", 7, []]))
    info = {"trace_id": f"tr-{n:032x}", "state": "IN_PROGRESS", "request_preview": text(rng, 900)}
    live = {
        "status": rng.choice(["running", "interrupted"]),
        "updated_unix_ms": 1_795_465_500_000 + n,
        "update_every_ms": LIVE_UPDATE_EVERY_MS,
        "sequence": n + 1,
    }
    if live["status"] == "interrupted":
        live["interrupted_at_unix_nano"] = T0 + 5_000_000_000
        live["reason"] = "KeyboardInterrupt" + text(rng, 40)
    if rng.random() < 0.2:
        live["spans_omitted"] = 99  # replaced by what this snapshot leaves out
    return {"trace_id": info["trace_id"], "info": info, "spans": spans, "live": live}


def as_typescript_input(entry: dict) -> dict:
    out = {"traceId": entry["trace_id"], "info": entry["info"], "live": entry["live"]}
    if "spans" in entry:
        out["spans"] = entry["spans"]
    if "truncated" in entry:
        out["truncated"] = entry["truncated"]
    return out


def encoded_size(entry: dict) -> int:
    """Bytes of the entry as the encoder writes it."""
    result = encode_trace_bundle([entry], max_bytes=1 << 40)
    return json_size(result.bundle["traces"][0])


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_bound_live_snapshot_agrees_with_typescript_on_generated_traces(tmp_path):
    rng = random.Random(SEED)
    cases = []
    for n in range(CASES):
        entry = make_live_trace(rng, n)
        max_bytes = rng.choice([2_000, 8_000, 30_000, 120_000, LIVE_MAX_SNAPSHOT_BYTES])
        cases.append((entry, max_bytes))
    items = [
        {"kind": "live-snapshot", "data": {"trace": as_typescript_input(e), "maxBytes": m}}
        for e, m in cases
    ]
    expected = typescript_renders(items, tmp_path)
    seen = {"all": 0, "shortened": 0, "omitted": 0, "over": 0}
    for i, ((entry, max_bytes), golden) in enumerate(zip(cases, expected, strict=True)):
        context = f"case {i}: {len(entry['spans'])} spans, max {max_bytes}"
        assert golden is not None, context
        snapshot = bound_live_snapshot(entry, max_bytes)
        assert exact_to_double(as_typescript_input(snapshot)) == exact_to_double(golden), context
        omitted = snapshot["live"].get("spans_omitted", 0)
        assert len(snapshot["spans"]) + omitted == len(entry["spans"]), context
        if omitted == 0 and "truncated" not in snapshot:
            assert snapshot["spans"] == entry["spans"], context
            seen["all"] += 1
        if encoded_size(snapshot) > max_bytes:
            # only when the spans it must keep alone are over the bound
            assert len(snapshot["spans"]) == sum(_required_spans(entry["spans"])), context
            seen["over"] += 1
        seen["omitted"] += omitted > 0
        seen["shortened"] += "truncated" in snapshot
    assert min(seen.values()) > 5, seen


def test_a_snapshot_keeps_running_spans_and_their_ancestors_and_the_newest_ended():
    spans = [
        {"span_id": "r", "parent_span_id": None, "end_time_unix_nano": None, "pad": "x" * 100},
        {"span_id": "a", "parent_span_id": "r", "end_time_unix_nano": 50, "pad": "x" * 100},
        {"span_id": "b", "parent_span_id": "a", "end_time_unix_nano": None, "pad": "x" * 100},
        {"span_id": "old", "parent_span_id": "r", "end_time_unix_nano": 10, "pad": "x" * 100},
        {"span_id": "new", "parent_span_id": "r", "end_time_unix_nano": 90, "pad": "x" * 100},
        {"span_id": "mid", "parent_span_id": "r", "end_time_unix_nano": 60, "pad": "x" * 100},
    ]
    live = {"status": "running", "updated_unix_ms": 1, "update_every_ms": 2000, "sequence": 3}
    entry = {"trace_id": "tr-1", "info": {"trace_id": "tr-1"}, "spans": spans, "live": live}
    whole = encoded_size(entry)
    assert bound_live_snapshot(entry, whole)["spans"] == spans
    # one span's worth too small: the oldest ended span goes, "a" stays (b's parent)
    snapshot = bound_live_snapshot(entry, whole - 20)
    assert [s["span_id"] for s in snapshot["spans"]] == ["r", "a", "b", "new", "mid"]
    assert snapshot["live"] == {**live, "spans_omitted": 1}
    assert encoded_size(snapshot) <= whole - 20
    # far too small: running spans and ancestors only, over the bound
    tiny = bound_live_snapshot(entry, 10)
    assert [s["span_id"] for s in tiny["spans"]] == ["r", "a", "b"]
    assert tiny["live"]["spans_omitted"] == 3
    assert entry["live"] == live, "the input is not modified"


def test_long_strings_are_shortened_before_spans_are_left_out():
    spans = [
        {"span_id": "r", "parent_span_id": None, "end_time_unix_nano": None},
        {"span_id": "c", "parent_span_id": "r", "end_time_unix_nano": 5, "big": "y" * 300_000},
    ]
    live = {"status": "running", "updated_unix_ms": 1, "update_every_ms": 2000, "sequence": 1}
    entry = {"trace_id": "tr-1", "spans": spans, "live": live}
    snapshot = bound_live_snapshot(entry)
    assert len(snapshot["spans"]) == 2 and "spans_omitted" not in snapshot["live"]
    assert snapshot["truncated"] == {"max_string": 65536}
    assert snapshot["spans"][1]["big"].endswith("… [truncated 234,464 chars]")
    assert encoded_size(snapshot) <= LIVE_MAX_SNAPSHOT_BYTES


def test_the_update_rate_limits():
    assert (LIVE_MIN_INTERVAL_MS, LIVE_UPDATE_EVERY_MS) == (250, 2000)
    assert LIVE_MAX_SNAPSHOT_BYTES == LIVE_MAX_BYTES_PER_S == 256 * 1024
    assert next_update_delay_ms(0) == 250
    assert next_update_delay_ms(32 * 1024) == 250
    assert next_update_delay_ms(256 * 1024) == 1000
    assert next_update_delay_ms(512 * 1024) == 2000


LIVE = {"status": "running", "updated_unix_ms": 5, "update_every_ms": 2000, "sequence": 2}
BAD_LIVES = [
    ([], "traces[0].live is not an object and is ignored (got a list)"),
    (
        {**LIVE, "status": "done"},
        'traces[0].live.status is not "running" or "interrupted" (got "done");'
        " the trace is shown as not live",
    ),
    (
        {**LIVE, "sequence": 0},
        "traces[0].live.sequence is not an integer >= 1 (got 0); the trace is shown as not live",
    ),
    (
        {**LIVE, "update_every_ms": 1.5},
        "traces[0].live.update_every_ms is not an integer >= 1 (got 1.5);"
        " the trace is shown as not live",
    ),
    (
        {**LIVE, "status": "interrupted"},
        "traces[0].live.interrupted_at_unix_nano is missing; the trace is shown as not live",
    ),
    (
        {**LIVE, "reason": ["x"]},
        "traces[0].live.reason is not a string (got a list); the trace is shown as not live",
    ),
]


@pytest.mark.parametrize(("live", "warning"), BAD_LIVES)
def test_a_bad_live_is_a_warning_and_the_trace_is_not_live(live, warning):
    trace = recorded("chat")
    bundle = {"version": 1, "traces": [{**trace, "live": live}]}
    decoded = decode_trace_bundle(bundle)
    assert decoded.errors == []
    assert decoded.warnings == [warning]
    assert decoded.traces[0].live is None and decoded.traces[0].embedded


def test_the_encoder_writes_live_through_and_the_schema_accepts_it():
    trace = recorded("chat")
    live = {**LIVE, "spans_omitted": 0, "reason": "<script>"}
    result = encode_trace_bundle([{**trace, "live": live}])
    assert result.bundle["traces"][0]["live"] is live
    assert list(result.bundle["traces"][0]) == ["trace_id", "info", "spans", "live"]
    assert schema_errors("trace", result.bundle) == []
    decoded = decode_trace_bundle(result.bundle)
    assert decoded.warnings == [] and decoded.traces[0].live == live
    data = trace_bundle([trace], live={trace["trace_id"]: live})
    assert data["application/vnd.mlflow.trace+json"]["traces"][0]["live"] == live
    note = " — partial: stopped updating at 00:00:00 UTC, 0 spans running"
    assert data["text/plain"].endswith(note)
    assert '<p class="jp-MlflowTraceFallback-note">Partial trace: stopped' in data["text/html"]
    assert "live" not in trace_bundle([trace])["application/vnd.mlflow.trace+json"]["traces"][0]
