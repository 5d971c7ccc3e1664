"""Cost, model, provider, session and user in the fallbacks: the Python
twin (``_cost.py``, ``format_usd``) writes the same bytes as the TypeScript
one on a seeded matrix of cost records (well-formed, malformed, tiny, huge,
halves that round differently with toFixed), model names and metadata."""

from __future__ import annotations

import json
import math
import random
import shutil

import pytest

from jupyterlab_mlflow_traces._cost import parse_cost
from jupyterlab_mlflow_traces._format import format_usd
from jupyterlab_mlflow_traces.fallback import (
    render_trace_html,
    render_trace_list_html,
    render_trace_list_text,
    render_trace_text,
)

from contract_files import typescript_renders

SEED = 20261206
TRACES = 150
T0 = 1_795_465_496_370_102_449
FIGURES = [
    0, 1e-9, 1.5e-7, 0.00045, 0.000450000001, 0.0123456, 0.1, 0.5, 0.9994, 0.99951, 1, 1.005,
    1.125, 2.675, 12.345, 1234.5, 999999.995, 1e21, -0.0123, -2.5, -0.0, 2**53 + 1, "0.1", True,
    None, [], {"x": 1},
]  # fmt: skip
RAW_COSTS = ["not json", '{"total_cost": ', "[1]", "42", '"text"', "{}", '{"total_cost": NaN}']
NAMES = ["gpt-4o-mini", "", "<img src=x onerror=alert(1)>", "m" * 300, "tab\there\nline", "名前"]


def cost_record(rng: random.Random):
    if rng.random() < 0.2:
        return rng.choice(RAW_COSTS)
    record = {}
    for key in ("input_cost", "output_cost", "total_cost"):
        if rng.random() < 0.7:
            record[key] = rng.choice(FIGURES)
    return json.dumps(record)


def make_span(rng: random.Random, i: int) -> dict:
    attributes = {"mlflow.spanType": json.dumps(rng.choice(["LLM", "CHAT_MODEL", "AGENT"]))}
    if rng.random() < 0.7:
        attributes["mlflow.llm.cost"] = cost_record(rng)
    for key in ("mlflow.llm.model", "mlflow.llm.provider"):
        if rng.random() < 0.6:
            attributes[key] = json.dumps(rng.choice(NAMES + [None, 7]))
    return {
        "span_id": f"{0xC057 + i:016x}",
        "parent_span_id": None if i == 0 else f"{0xC057 + rng.randrange(i):016x}",
        "name": f"span {i}",
        "start_time_unix_nano": T0 + i * 1000,
        "end_time_unix_nano": T0 + 10**6,
        "attributes": attributes,
    }


def make_info(rng: random.Random, trace_id: str) -> dict:
    metadata = {}
    if rng.random() < 0.6:
        metadata["mlflow.trace.cost"] = cost_record(rng)
    for key in ("mlflow.trace.session", "mlflow.trace.user"):
        if rng.random() < 0.5:
            metadata[key] = rng.choice(NAMES + [None, 3])
    return {"trace_id": trace_id, "state": "OK", "trace_metadata": metadata}


def generated() -> list[dict]:
    rng = random.Random(SEED)
    items = []
    for n in range(TRACES):
        trace_id = f"tr-{n:032x}"
        spans = [make_span(rng, i) for i in range(rng.choice([1, 3, 6]))]
        entry = {"trace_id": trace_id, "info": make_info(rng, trace_id), "spans": spans}
        items.append({"kind": "trace", "data": {"version": 1, "traces": [entry]}})
        rows = [entry["info"], make_info(rng, f"tr-{n:031x}z")]
        items.append(
            {
                "kind": "trace-list",
                "data": {"version": 1, "query": {"experiment_ids": ["1"]}, "traces": rows},
            }
        )
    return items


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_write_the_same_costs(tmp_path):
    items = generated()
    expected = typescript_renders(items, tmp_path)
    costs_shown = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        assert golden is not None, f"item {i}: the TypeScript fallbacks threw"
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
        costs_shown += written["text/plain"].count("cost $")
    # The matrix exercises the figures, not only the notes
    assert costs_shown > TRACES


@pytest.mark.parametrize(
    ("usd", "text"),
    [
        (0.00045, "$0.000450"),
        (0.0123456, "$0.0123"),
        (1.5e-7, "$0.000000150"),
        (0.99951, "$1.00"),
        (1234.5, "$1,234.50"),
        (0, "$0.00"),
        (-2.5, "-$2.50"),
        (math.nan, "–"),
        (None, "–"),
    ],
)
def test_format_usd(usd, text):
    assert format_usd(usd) == text


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("{", "mlflow.trace.cost is not valid JSON, so its cost is not shown."),
        ('{"total_cost": NaN}', "mlflow.trace.cost is not valid JSON, so its cost is not shown."),
        ("[1]", "mlflow.trace.cost is not an object, so its cost is not shown."),
        ('{"total_cost": "1"}', "mlflow.trace.cost: total_cost is not a number."),
        ("{}", "mlflow.trace.cost has no input_cost, output_cost or total_cost."),
    ],
)
def test_a_malformed_cost_is_a_note(value, note):
    assert parse_cost(value, "mlflow.trace.cost") == note
