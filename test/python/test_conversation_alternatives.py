"""Alternatives and batches stay apart (issue 18, item 13), in Python as in
TypeScript: a LangChain batch of message lists, OpenAI's ``n > 1`` choices
and Gemini's candidates read with every message labelled by the
conversation or reply it is one of; the transcript and the text/html
fallback show the label, both languages alike."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from jupyterlab_mlflow_traces._conversation import (
    conversation_text,
    read_conversation,
    span_conversation_of_raw,
)
from jupyterlab_mlflow_traces._js import stringify
from jupyterlab_mlflow_traces.fallback import render_trace_html

from contract_files import typescript_renders

SHAPES = {
    "conversation": lambda texts: [[{"type": "human", "content": t}] for t in texts],
    "choice": lambda texts: {
        "choices": [
            {"index": i, "message": {"role": "assistant", "content": t}}
            for i, t in enumerate(texts)
        ]
    },
    "candidate": lambda texts: {
        "candidates": [{"content": {"role": "model", "parts": [{"text": t}]}} for t in texts]
    },
}
PIECES = ["a", "Paris", " ", "😀", '"', "\n", "<b>", "·"]


def texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6))) for _ in range(n)]


@pytest.mark.parametrize("noun", SHAPES)
def test_each_of_several_is_labelled_in_order_and_the_transcript_shows_it(noun):
    # Before: one chat of n messages, no label (a batch read as n user turns).
    rng = random.Random(20261130)
    for case in range(200):
        n = rng.randrange(2, 6)
        read = read_conversation(SHAPES[noun](texts(rng, n)))
        assert read is not None, f"case {case}"
        groups = [m.get("group") for m in read["messages"]]
        assert groups == [f"{noun} {i + 1} of {n}" for i in range(n)], f"case {case}"
        transcript = conversation_text(read["messages"])
        for i in range(n):
            assert f"· {noun} {i + 1} of {n}:" in transcript, f"case {case}"
    one = read_conversation(SHAPES[noun](["only one"]))
    assert "group" not in one["messages"][0]


def spans() -> list[dict]:
    rng = random.Random(20261201)
    out = []
    for n in range(60):
        noun = list(SHAPES)[n % 3]
        value = SHAPES[noun](texts(rng, rng.randrange(1, 5)))
        side = "mlflow.spanInputs" if noun == "conversation" else "mlflow.spanOutputs"
        start = 1_795_465_496_000_000_000 + n * 1000
        attributes = {side: json.dumps(value), "mlflow.spanType": '"LLM"'}
        out.append({"span_id": f"{n:016x}", "name": "chat", "attributes": attributes,
                    "start_time_unix_nano": start, "end_time_unix_nano": start + 500})  # fmt: skip
    return out


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_label_alternatives_alike(tmp_path):
    """The conversation, its transcript and the text/html fallback."""
    raw = spans()
    bundles = [
        {"version": 1, "traces": [{"trace_id": f"tr-{i}", "spans": raw[i : i + 6]}]}
        for i in range(0, len(raw), 6)
    ]
    items = [
        {"kind": kind, "data": s} for s in raw for kind in ("conversation", "conversation-text")
    ]
    items += [{"kind": "trace", "data": b} for b in bundles]
    expected = typescript_renders(items, tmp_path)
    labelled = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        if item["kind"] == "conversation":
            read = span_conversation_of_raw(item["data"])
            assert stringify(read) == golden, f"item {i}"
            labelled += any("group" in m for side in ("input", "output") if read[side]
                            for m in read[side]["messages"])  # fmt: skip
        elif item["kind"] == "conversation-text":
            read = span_conversation_of_raw(item["data"])
            text = {
                s: read[s] and conversation_text(read[s]["messages"]) for s in ("input", "output")
            }
            assert stringify(text) == golden, f"item {i}"
        else:
            html = render_trace_html(item["data"])
            assert html == golden["text/html"], f"item {i}"
            assert " of " in html
    assert labelled >= 30
