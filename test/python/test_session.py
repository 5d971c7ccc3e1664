"""Sessions in the Python package: ``trace_session`` against a real ``mlflow
server`` filled by MLflow's Python SDK (test/fixtures/write_session_traces.py,
turns written out of request-time order), the output it displays, and the
rules of ``_session.py`` (the filter's quoting, the turns' order and text)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import pytest

from jupyterlab_mlflow_traces._session import (
    session_filter,
    session_id_of,
    session_turns,
    turn_text,
    user_id_of,
)
from jupyterlab_mlflow_traces.bundle import TRACE_LIST_MIME_TYPE
from jupyterlab_mlflow_traces.fallback import render_trace_list_html, render_trace_list_text
from jupyterlab_mlflow_traces.query import trace_session

from contract_files import ROOT, schema_errors, typescript_renders
from mlflow_server import mlflow_server

WRITER = ROOT / "test" / "fixtures" / "write_session_traces.py"
QUOTED = "o'hara's chat"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    import mlflow

    folder = tmp_path_factory.mktemp("session-server")
    with mlflow_server(folder) as url:
        answer = subprocess.run(
            [sys.executable, str(WRITER), url],
            capture_output=True, check=True, timeout=300, cwd=folder,
        )  # fmt: skip
        before = mlflow.get_tracking_uri()
        mlflow.set_tracking_uri(url)
        try:
            yield json.loads(answer.stdout.decode().strip().splitlines()[-1])
        finally:
            mlflow.set_tracking_uri(before)


def ids(session) -> list[str]:
    return [trace.info.trace_id for trace in session.traces]


def test_reads_a_session_in_request_time_order_not_the_order_written(written):
    session = trace_session("sess-alpha", experiment_ids=[written["experiment_id"]])
    assert ids(session) == written["sessions"]["sess-alpha"]
    assert session.next_page_token is None
    assert session.session_id == "sess-alpha"
    assert session.order_by == ["timestamp_ms ASC"]


def test_finds_a_session_whose_id_holds_a_quote(written):
    session = trace_session(QUOTED, experiment_ids=[written["experiment_id"]])
    assert ids(session) == written["sessions"][QUOTED]
    assert session.filter_string == f'metadata.`mlflow.trace.session` = "{QUOTED}"'


def test_caps_at_max_turns_and_keeps_the_token_of_the_rest(written):
    from mlflow import MlflowClient

    first = trace_session("sess-alpha", [written["experiment_id"]], max_turns=3)
    assert ids(first) == written["sessions"]["sess-alpha"][:3]
    assert first.next_page_token
    bundle = first._repr_mimebundle_()[TRACE_LIST_MIME_TYPE]
    rest = MlflowClient().search_traces(
        locations=bundle["query"]["experiment_ids"],
        filter_string=bundle["query"]["filter"],
        order_by=bundle["query"]["order_by"],
        max_results=bundle["query"]["max_results"],
        page_token=bundle["next_page_token"],
    )
    assert [t.info.trace_id for t in rest] == written["sessions"]["sess-alpha"][3:]


def test_displays_a_schema_valid_session_whose_text_lists_the_turns(written):
    data = trace_session("sess-beta", [written["experiment_id"]])._repr_mimebundle_()
    bundle = data[TRACE_LIST_MIME_TYPE]
    assert schema_errors("trace-list", bundle) == []
    assert bundle["query"]["session_id"] == "sess-beta"
    text = data["text/plain"]
    assert text == render_trace_list_text(bundle)
    lines = text.split("\n")
    assert (
        lines[0] == f'MLflow session "sess-beta": 3 turns; experiments {written["experiment_id"]}'
    )
    turns = [line.split(" ")[2] for line in lines if line.startswith("Turn ")]
    assert turns == written["sessions"]["sess-beta"]
    assert "  user: Book a table for two" in lines
    assert " · ERROR · 2.5 s" in lines[4]
    assert "&lt;" not in text  # text/plain is not escaped


def test_the_feedback_stays_on_its_turn(written):
    session = trace_session("sess-alpha", [written["experiment_id"]])
    rated = [t for t in session.traces if t.info.trace_id == written["feedback_trace"]]
    assert [a.name for a in rated[0].info.assessments] == ["helpful"]


def test_names_what_is_wrong_with_a_session_id_or_a_cap(written):
    with pytest.raises(TypeError, match="holds both ' and \""):
        trace_session('it\'s "both"', [written["experiment_id"]])
    with pytest.raises(TypeError, match=r"non-empty string \(got an empty string\)"):
        trace_session("", [written["experiment_id"]])
    with pytest.raises(TypeError, match=r"max_turns is a positive integer \(got 0\)"):
        trace_session("sess-alpha", [written["experiment_id"]], max_turns=0)
    assert len(trace_session("no-such-session", [written["experiment_id"]])) == 0


# --- the rules of _session.py, beside their TypeScript twin's unit spec -----------


def test_the_filter_quotes_as_mlflow_reads_it():
    assert session_filter("s-1") == "metadata.`mlflow.trace.session` = 's-1'"
    assert session_filter("it's") == 'metadata.`mlflow.trace.session` = "it\'s"'
    assert session_filter('say "hi"') == "metadata.`mlflow.trace.session` = 'say \"hi\"'"
    with pytest.raises(TypeError, match="got int"):
        session_filter(7)


def info(trace_id: str, request_time=None, **fields) -> dict:
    out = {"trace_id": trace_id, **fields}
    if request_time is not None:
        out["request_time"] = request_time
    return out


def test_turns_are_in_request_time_order_and_a_turn_without_a_time_goes_last():
    turns = session_turns(
        [
            info("c"),
            info("b", "2026-12-02T00:05:00Z"),
            info("a", "2026-12-02T00:01:00.500Z"),
            info("d", "not a time"),
            info("e", "2026-12-02T00:05:00Z"),
        ]
    )
    assert [t.trace_id for t in turns] == ["a", "b", "e", "c", "d"]
    assert turns[0].request_time_ms == 1796169660500


def test_turn_text_reads_chat_payloads_and_keeps_anything_else():
    chat = json.dumps(
        {
            "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": "first"},
                {"role": "assistant", "content": "reply"},
                {"role": "user", "content": "<b>last</b>"},
            ]
        }
    )
    assert turn_text(chat, "user") == "<b>last</b>"
    assert turn_text(chat, "assistant") == "reply"
    assert turn_text('{"question": "x"}', "user") == '{"question": "x"}'
    assert turn_text('{"messages": [{"role": "user", "content": "cut', "user") == (
        '{"messages": [{"role": "user", "content": "cut'
    )
    assert turn_text("plain words", "user") == "plain words"
    assert turn_text(None, "user") == ""


def test_session_and_user_are_read_from_the_metadata_only_as_strings():
    meta = {"trace_metadata": {"mlflow.trace.session": "s", "mlflow.trace.user": "u"}}
    assert (session_id_of(meta), user_id_of(meta)) == ("s", "u")
    assert session_id_of({"trace_metadata": {"mlflow.trace.session": 3}}) == ""
    assert user_id_of({"trace_metadata": None}) == ""


# --- the session fallbacks of both twins agree on generated sessions -------------

PARITY_SEED = 20261206
TEXTS = [
    "What is the weather?", "", " ", "😀" * 70, "x" * 2100, "\ud800 lone", "tab\there\nnew line",
    "<script>alert(1)</script>", '"quoted" & \'apos\'', "名前", "\u2028sep",
]  # fmt: skip
TIMES = [
    "2026-12-02T00:00:00Z", "2026-12-02T00:00:00.500Z", "2026-12-02T00:05:00Z",
    "2026-12-01T23:59:59.999Z", "not a time", None,
]  # fmt: skip


def _preview(rng, role: str):
    text = rng.choice(TEXTS)
    shape = rng.randrange(6)
    if shape == 0:
        return text
    if shape == 1:
        return json.dumps(
            {"messages": [{"role": "system", "content": "s"}, {"role": role, "content": text}]}
        )
    if shape == 2:
        return json.dumps({"choices": [{"message": {"role": role, "content": text}}]})
    if shape == 3:
        return json.dumps({"messages": [{"role": role, "content": text}]})[:20]  # cut by MLflow
    if shape == 4:
        return json.dumps({"question": text, "n": 12345678901234567890})
    return rng.choice([None, 7, ["a"]])


def _session_bundle(rng, n: int) -> dict:
    traces = []
    for i in range(rng.choice([0, 1, 3, 6])):
        info: dict = {"trace_id": f"tr-{n:08x}{i:024x}"}
        if (time := rng.choice(TIMES)) is not None:
            info["request_time"] = time
        for key, pool in (
            ("state", ["OK", "ERROR", "", None]),
            ("execution_duration", ["0.5s", "2s", "x"]),
        ):
            if (value := rng.choice(pool)) is not None:
                info[key] = value
        if rng.random() < 0.4:
            cost = rng.choice(
                [{"total_cost": 0.0123}, {"input_cost": 1.5, "output_cost": 2}, "bad"]
            )
            info["trace_metadata"] = {"mlflow.trace.cost": json.dumps(cost)}
        info["request_preview"] = _preview(rng, "user")
        info["response_preview"] = _preview(rng, "assistant")
        traces.append(info if rng.random() < 0.95 else rng.choice([None, "row", {"trace_id": 5}]))
    bundle = {
        "version": 1,
        "tracking_uri": rng.choice(["http://127.0.0.1:5000", "javascript:alert(1)"]),
        "query": {
            "experiment_ids": rng.choice([["1"], [], ["1", "2"]]),
            "order_by": ["timestamp_ms ASC"],
            "session_id": rng.choice(["sess-1", "o'hara", "<b>s</b>", "😀" * 150, 5]),
        },
        "traces": traces,
    }
    if rng.random() < 0.3:
        bundle["next_page_token"] = "tok"
    return bundle


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_session_fallbacks_agree(tmp_path):
    rng = random.Random(PARITY_SEED)
    items = [{"kind": "trace-list", "data": _session_bundle(rng, n)} for n in range(150)]
    expected = typescript_renders(items, tmp_path)
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        assert golden is not None, f"item {i}: the TypeScript fallbacks threw"
        data = item["data"]
        assert render_trace_list_text(data) == golden["text/plain"], f"item {i}: {json.dumps(data)}"
        assert render_trace_list_html(data) == golden["text/html"], f"item {i}: {json.dumps(data)}"
