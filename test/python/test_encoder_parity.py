"""The Python encoder writes what the TypeScript encoder writes
(``encodeTraceBundle``) for generated traces and budgets: the same strings
shortened at the same UTF-16 length, the same JSON re-encoding of
JSON-in-string values, the same spans and info dropped, the same sizes."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from jupyterlab_mlflow_traces.bundle import encode_trace_bundle

from contract_files import typescript_renders

SEED = 53
CASES = 120
T0 = 1_795_465_496_370_102_449
PIECES = ["a", "é", "😀", "\ud800", "<", '"', "\\", "\n", "名", "\u2028"]


def text(rng: random.Random, longest: int) -> str:
    size = rng.choice([0, 3, 255, 256, 257, longest // 3, longest])
    piece = rng.choice(PIECES)
    return (piece * (size // len(piece) + 1))[: max(0, size)]


def json_value(rng: random.Random, longest: int, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return text(rng, longest)
    if roll < 0.45:
        return rng.choice([0, 1.5, 100.0, 1e21, 1e-7, -0.0, 2**40, True, None, 123456.789])
    if roll < 0.7:
        return [json_value(rng, longest, depth + 1) for _ in range(rng.randrange(4))]
    keys = rng.sample(["b", "10", "2", "a", "__proto__", "0", "01", "-1", "é"], rng.randrange(5))
    return {key: json_value(rng, longest, depth + 1) for key in keys}


def make_trace(rng: random.Random, n: int) -> dict:
    longest = rng.choice([1000, 20_000, 150_000])
    spans = []
    for i in range(rng.randrange(1, 6)):
        attributes = {
            "mlflow.spanType": json.dumps("LLM"),
            "mlflow.spanInputs": json.dumps(json_value(rng, longest), ensure_ascii=False),
            "mlflow.spanOutputs": text(rng, longest),
        }
        if rng.random() < 0.3:
            attributes["mlflow.spanOutputs"] = " " + json.dumps([text(rng, longest)])
        spans.append(
            {
                "span_id": f"{i:016x}",
                "parent_span_id": None if i == 0 else f"{0:016x}",
                "name": text(rng, 300),
                "start_time_unix_nano": T0 + i,
                "end_time_unix_nano": T0 + 10_000 + i,
                "status": {"code": "STATUS_CODE_OK", "message": ""},
                "attributes": attributes,
                "events": [],
            }
        )
    info = {"trace_id": f"tr-{n:032x}", "request_preview": text(rng, 2000), "state": "OK"}
    return {"trace_id": info["trace_id"], "info": info, "spans": spans}


def exact_to_double(value):
    """Ints beyond 2^53 as JavaScript holds them, to compare with its output."""
    if isinstance(value, bool) or not isinstance(value, (int, float, list, dict)):
        return value
    if isinstance(value, int):
        return float(value) if abs(value) > 2**53 else value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) <= 2**53 else value
    if isinstance(value, list):
        return [exact_to_double(item) for item in value]
    return {key: exact_to_double(item) for key, item in value.items()}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_encoders_agree_on_generated_traces(tmp_path):
    rng = random.Random(SEED)
    cases = []
    for n in range(CASES):
        traces = [make_trace(rng, n * 10 + k) for k in range(rng.randrange(1, 4))]
        options = {
            "trackingUri": rng.choice(["http://u:p@127.0.0.1:5000/", "sqlite:///m.db"]),
            "maxBytes": rng.choice([1024, 4096, 20_000, 100_000, 400_000, 4 * 1024 * 1024]),
        }
        if rng.random() < 0.2:
            options["maxStringChars"] = rng.choice([0, 1, 100, 300, 5000])
        cases.append((traces, options))
    items = [
        {
            "kind": "encode",
            "data": {
                "traces": [
                    {"traceId": t["trace_id"], "info": t["info"], "spans": t["spans"]}
                    for t in traces
                ],
                "options": options,
            },
        }
        for traces, options in cases
    ]
    expected = typescript_renders(items, tmp_path)
    truncated = dropped = 0
    for i, ((traces, options), golden) in enumerate(zip(cases, expected, strict=True)):
        result = encode_trace_bundle(
            traces,
            tracking_uri=options["trackingUri"],
            max_bytes=options["maxBytes"],
            max_string_chars=options.get("maxStringChars"),
        )
        context = f"case {i}: {options}"
        assert result.warnings == golden["warnings"], context
        assert result.size_bytes == golden["sizeBytes"], context
        assert exact_to_double(result.bundle) == exact_to_double(golden["bundle"]), context
        for entry in result.bundle["traces"]:
            truncated += "truncated" in entry
            dropped += "spans_dropped" in entry.get("truncated", {})
    assert truncated > CASES / 4 and dropped > 5
