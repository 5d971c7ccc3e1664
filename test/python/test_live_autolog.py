"""An autologged OpenAI call shows live on a real ipykernel: `mlflow.openai.autolog()` on the
real openai SDK, whose network is a local stand-in that answers with the recorded responses
of test/fixtures/conversations/openai-chat.json, each after a pause (a model thinking)."""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from test_ipython_quickstart import _read_back
from test_live_ipython import Client, _entry, _running

from kernel import KERNEL_SETTINGS, ROOT, TRACE_MIME, environment, notebook_of, trace_outputs
from mlflow_server import mlflow_server

RECORDED = ROOT / "test" / "fixtures" / "conversations" / "openai-chat.json"
#: How long the stand-in takes to answer: long enough for live updates while it "thinks".
ANSWER_AFTER_S = 1.2
CHAT_MODEL = '"CHAT_MODEL"'  # mlflow.spanType as MLflow writes it (a JSON string)

SETUP = """%load_ext jupyterlab_mlflow_traces
import mlflow
import openai

mlflow.openai.autolog()
client = openai.OpenAI(base_url={base!r} + "/v1", api_key="stand-in")
WEATHER = {{
    "type": "function",
    "function": {{
        "name": "get_weather",
        "parameters": {{"type": "object", "properties": {{"city": {{"type": "string"}}}}}},
    }},
}}"""
AGENT = """@mlflow.trace
def agent(question):
    messages = [{"role": "user", "content": question}]
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER])
    call = first.choices[0].message.tool_calls[0]
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": '{"sky": "sunny"}'})
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER])
    return reply.choices[0].message.content

agent("What is the weather in Paris?")"""


def _stand_in(answers: list[dict]) -> tuple[ThreadingHTTPServer, str]:
    """An OpenAI endpoint on 127.0.0.1 that answers the recorded responses in turn."""
    turn = iter(range(10**6))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("content-length") or 0))
            time.sleep(ANSWER_AFTER_S)
            data = json.dumps(answers[next(turn) % len(answers)]).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_an_autologged_llm_span_shows_while_it_runs(tmp_path: Path) -> None:
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    answers = [a["response"] for a in recorded["stand_in"]["answered"]]
    stand_in, base = _stand_in(answers)
    try:
        with mlflow_server(tmp_path / "server") as url:
            nb = notebook_of(SETUP.format(base=base), AGENT)
            log = io.StringIO()
            env = {"MLFLOW_TRACKING_URI": url, "PYTHONPATH": str(ROOT)}
            with environment(env, cleared=KERNEL_SETTINGS):
                Client(
                    nb,
                    iopub=log,
                    timeout=180,
                    kernel_name="python3",
                    resources={"metadata": {"path": str(tmp_path)}},
                ).execute()
            messages = [json.loads(line) for line in log.getvalue().splitlines()]
            displays = [
                m
                for m in messages
                if m["cell"] == 1 and TRACE_MIME in m.get("content", {}).get("data", {})
            ]
            final = _entry(displays[-1])
            stored = _read_back(url, final["trace_id"], {})
    finally:
        stand_in.shutdown()
    running = _running(displays)

    def chat_spans(entry: dict) -> list[dict]:
        return [s for s in entry["spans"] if s["attributes"].get("mlflow.spanType") == CHAT_MODEL]

    live_chats = [s for m in running for s in chat_spans(_entry(m))]
    assert any(s["end_time_unix_nano"] is None for s in live_chats), "an LLM span shown running"
    assert any(s["end_time_unix_nano"] is not None for s in live_chats), "and shown ended live"
    assert "live" not in final
    assert [s["name"] for s in chat_spans(final)] == ["Completions", "Completions"]
    # The SDK's trace, as today's display shows it; the server prices LLM spans as it
    # stores them (mlflow.llm.cost), and the rest is stored as the SDK recorded it.
    stored_spans = {d["span_id"]: d for d in (s.to_dict() for s in stored.data.spans)}
    for span in stored_spans.values():
        if span["attributes"].get("mlflow.spanType") == CHAT_MODEL:
            assert "total_cost" in json.loads(span["attributes"].pop("mlflow.llm.cost"))
    assert {s["span_id"]: s for s in final["spans"]} == stored_spans
    reply = answers[1]["choices"][0]["message"]["content"]
    assert json.loads(final["spans"][0]["attributes"]["mlflow.spanOutputs"]) == reply
    assert len(trace_outputs(nb.cells[1])) == 1, "one output in the saved notebook"
