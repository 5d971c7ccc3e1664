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
        out.append(span(n, {side: json.dumps(value), "mlflow.spanType": '"LLM"'}))
    return out


def span(n: int, attributes: dict) -> dict:
    start = 1_795_465_496_000_000_000 + n * 1000
    return {"span_id": f"{n:016x}", "name": "chat", "attributes": attributes,
            "start_time_unix_nano": start, "end_time_unix_nano": start + 500}  # fmt: skip


def read_alike(raw: list[dict], per_trace: int, folder) -> list[dict]:
    """Each span's conversation read in Python, after checking that it, its
    transcript and the text/html fallback of ``per_trace`` spans a trace are
    what TypeScript makes of them."""
    bundles = [
        {"version": 1, "traces": [{"trace_id": f"tr-{i}", "spans": raw[i : i + per_trace]}]}
        for i in range(0, len(raw), per_trace)
    ]
    items = [
        {"kind": kind, "data": s} for s in raw for kind in ("conversation", "conversation-text")
    ]
    items += [{"kind": "trace", "data": b} for b in bundles]
    expected = typescript_renders(items, folder)
    reads = []
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        if item["kind"] == "conversation":
            read = span_conversation_of_raw(item["data"])
            assert stringify(read) == golden, f"item {i}"
            reads.append(read)
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
    return reads


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_label_alternatives_alike(tmp_path):
    """The conversation, its transcript and the text/html fallback."""
    labelled = 0
    for read in read_alike(spans(), 6, tmp_path):
        labelled += any("group" in m for side in ("input", "output") if read[side]
                        for m in read[side]["messages"])  # fmt: skip
    assert labelled >= 30


def llm_result(prompts: list[list[str]], chat: bool) -> dict:
    """A LangChain ``LLMResult`` as MLflow records it when one call holds
    several prompts (``MlflowLangchainTracer.on_llm_end``, MLflow 3.17.2,
    keeps the raw result then): a list of generations per prompt, a chat
    model's with its message, a completion model's with its text only."""

    def generation(t: str) -> dict:
        if not chat:
            return {"text": t, "generation_info": None, "type": "Generation"}
        message = {"content": t, "additional_kwargs": {}, "response_metadata": {}, "type": "ai",
                   "name": None, "id": None}  # fmt: skip
        return {"text": t, "generation_info": None, "type": "ChatGeneration", "message": message}

    generations = [[generation(t) for t in texts] for texts in prompts]
    return {"generations": generations, "llm_output": None, "run": None, "type": "LLMResult"}


def generation_group(i: int, n: int, j: int, m: int) -> str | None:
    """The label of generation ``j`` of ``m`` answering prompt ``i`` of ``n``."""
    if n == 1:
        return f"choice {j + 1} of {m}" if m > 1 else None
    prompt = f"conversation {i + 1} of {n}"
    return prompt if m == 1 else f"{prompt}, choice {j + 1} of {m}"


def prompts(rng: random.Random) -> list[list[str]]:
    while True:
        out = [texts(rng, rng.randrange(0, 4)) for _ in range(rng.randrange(1, 5))]
        if any(out):
            return out


def test_generations_are_labelled_by_prompt_as_batched_inputs_are_and_by_choice_within():
    # Before: every generation of every prompt read as one reply, unlabelled.
    rng = random.Random(20261206)
    for case in range(200):
        batch = prompts(rng)
        read = read_conversation(llm_result(batch, rng.random() < 0.5), "langchain")
        assert read is not None, f"case {case}"
        n = len(batch)
        expected = [
            (t, generation_group(i, n, j, len(ts)))
            for i, ts in enumerate(batch)
            for j, t in enumerate(ts)
        ]
        got = [(m["parts"][0]["text"], m.get("group")) for m in read["messages"]]
        assert got == expected, f"case {case}"
        for message, (_, group) in zip(read["messages"], expected, strict=True):
            assert ("group" in message) == (group is not None), f"case {case}"
        transcript = conversation_text(read["messages"])
        for _, group in expected:
            assert group is None or f"ai · {group}:" in transcript, f"case {case}"


def test_one_list_of_generations_labels_only_the_choices():
    single = read_conversation({"generations": [{"text": "a"}, {"text": "b"}]}, "langchain")
    assert [m.get("group") for m in single["messages"]] == ["choice 1 of 2", "choice 2 of 2"]
    one = read_conversation({"generations": [[{"text": "a"}]]})
    assert "group" not in one["messages"][0]


def test_a_recorded_batch_labels_each_reply_with_the_conversation_its_input_has():
    inputs = [
        [{"content": "Be brief.", "type": "system", "name": None, "id": None},
         {"content": "Weather in Paris?", "type": "human", "name": None, "id": None}],
        [{"content": "Weather in Rome?", "type": "human", "name": None, "id": None}],
    ]  # fmt: skip
    outputs = llm_result([["Paris is sunny.", "Sunny, 21 °C."], ["Rome is rainy."]], True)
    read = span_conversation_of_raw({"attributes": {
        "mlflow.spanInputs": json.dumps(inputs), "mlflow.spanOutputs": json.dumps(outputs),
        "mlflow.message.format": '"langchain"'}})  # fmt: skip
    assert [m.get("group") for m in read["input"]["messages"]] == [
        "conversation 1 of 2", "conversation 1 of 2", "conversation 2 of 2"]  # fmt: skip
    assert [m.get("group") for m in read["output"]["messages"]] == [
        "conversation 1 of 2, choice 1 of 2",
        "conversation 1 of 2, choice 2 of 2",
        "conversation 2 of 2",
    ]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_label_generations_alike(tmp_path):
    """A batch's inputs and its generations: the conversation, its
    transcript and the text/html fallback."""
    rng = random.Random(20261207)
    raw = []
    for n in range(40):
        batch = prompts(rng)
        inputs = [[{"type": "human", "content": t} for t in texts(rng, 1)] for _ in batch]
        attributes = {
            "mlflow.spanInputs": json.dumps(inputs),
            "mlflow.spanOutputs": json.dumps(llm_result(batch, n % 2 == 0)),
            "mlflow.message.format": '"langchain"',
            "mlflow.spanType": '"CHAT_MODEL"',
        }
        raw.append(span(n, attributes))
    choices = 0
    for read in read_alike(raw, 4, tmp_path):
        choices += any(", choice " in m.get("group", "") for m in read["output"]["messages"])
    assert choices >= 5
