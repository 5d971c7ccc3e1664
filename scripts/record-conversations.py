"""Record the chat spans MLflow's autologging integrations write.

`npm run record-conversations` (not part of `npm test`: the fixtures are
committed). Creates a separate venv under .cache/record-conversations/ with the
pinned MLflow and provider SDKs below, then, for each provider, turns on
`mlflow.<flavor>.autolog()` and runs one chat with a tool call and a tool
result turn. Only the network is replaced: the OpenAI, Anthropic, Gemini and
Bedrock clients talk to a local HTTP stand-in (a thread on 127.0.0.1) that
answers in each provider's documented response shape; LangChain, LlamaIndex
and DSPy use their own fake models. The spans MLflow stored are read back with
`mlflow.get_trace(...)` and written to test/fixtures/conversations/<name>.json
with the package versions used and what the stand-in answered. The OpenAI
Agents SDK runs under `mlflow.openai.autolog()`; Google ADK, which needs
google-genai < 3, records from a venv of its own and reaches MLflow the way
MLflow's ADK docs describe: OpenTelemetry spans sent over OTLP to an
`mlflow server`.

Usage: python3 scripts/record-conversations.py [name ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".cache" / "record-conversations" / "venv"
OUT = ROOT / "test" / "fixtures" / "conversations"

# Exact versions the committed fixtures were recorded with.
PINS = {
    "mlflow": "3.17.2",
    "openai": "3.57.0",
    "openai-agents": "0.24.0",
    "anthropic": "2.14.0",
    "google-genai": "3.6.1",
    "boto3": "1.44.8",
    "langchain-core": "1.8.3",
    "llama-index-core": "0.14.25",
    "dspy": "3.4.1",
}

# Google ADK needs google-genai < 3, so it records from a venv of its own;
# MLflow traces ADK through OpenTelemetry (its ADK docs): spans exported over
# OTLP to an `mlflow server`, which translates them as it stores them.
ADK_VENV = ROOT / ".cache" / "record-conversations" / "venv-adk"
ADK_PINS = {
    "mlflow": "3.17.2",
    "google-adk": "2.13.0",
    "google-genai": "2.34.0",
    "opentelemetry-sdk": "1.44.0",
    "opentelemetry-exporter-otlp-proto-http": "1.44.0",
}

# A 1x1 PNG, sent as an inline image where a provider takes one.
PNG_1X1 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
IMAGE_URL = "https://example.com/paris.png"
QUESTION = "What is the weather in Paris?"
TOOL_RESULT = '{"temperature_c": 21, "sky": "sunny"}'
REPLY = "It is sunny in Paris, 21 °C."
THINKING = "The user wants the weather; I should call get_weather for Paris."
TOOL_NAME = "get_weather"
TOOL_ARGS = {"city": "Paris"}


def ensure_venv(venv: Path = VENV, pins: dict = PINS) -> Path:
    """A recording venv's python, created and filled on first use."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    wanted = [f"{name}=={version}" for name, version in pins.items()]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
    return python


# --- the stand-in provider ------------------------------------------------


def _second_turn(body: dict) -> bool:
    """Whether the request already carries the tool result."""
    return "temperature_c" in json.dumps(body)


def openai_chat(body: dict) -> dict:
    if _second_turn(body):
        message = {"role": "assistant", "content": REPLY, "refusal": None}
        finish = "stop"
    else:
        message = {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {
                    "id": "call_weather_1",
                    "type": "function",
                    "function": {
                        "name": TOOL_NAME,
                        "arguments": json.dumps(TOOL_ARGS),
                    },
                }
            ],
        }
        finish = "tool_calls"
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 1767225600,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52},
    }


def openai_responses(body: dict) -> dict:
    if _second_turn(body):
        output = [
            {
                "type": "message",
                "id": "msg_standin",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": REPLY, "annotations": []}],
            }
        ]
    else:
        output = [
            {
                "type": "reasoning",
                "id": "rs_standin",
                "summary": [{"type": "summary_text", "text": THINKING}],
            },
            {
                "type": "function_call",
                "id": "fc_standin",
                "call_id": "call_weather_1",
                "name": TOOL_NAME,
                "arguments": json.dumps(TOOL_ARGS),
                "status": "completed",
            },
        ]
    return {
        "id": "resp_standin",
        "object": "response",
        "created_at": 1767225600,
        "status": "completed",
        "model": "o4-mini",
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": 40,
            "output_tokens": 12,
            "total_tokens": 52,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 8},
        },
    }


def openai_responses_events(body: dict) -> list[dict]:
    """The Responses API's server-sent events for `stream=True`, in order."""
    final = openai_responses(body)
    start = {**final, "status": "in_progress", "output": []}
    events: list[dict] = [
        {"type": "response.created", "response": start},
        {"type": "response.in_progress", "response": start},
    ]
    for index, item in enumerate(final["output"]):
        events += _item_events(index, item)
    events.append({"type": "response.completed", "response": final})
    return [{**event, "sequence_number": n} for n, event in enumerate(events)]


def _item_events(index: int, item: dict) -> list[dict]:
    """One output item's events: added, its deltas, done."""
    where = {"item_id": item["id"], "output_index": index}
    if item["type"] == "message":
        added = {**item, "status": "in_progress", "content": []}
        where = {**where, "content_index": 0}
        empty = {"type": "output_text", "text": "", "annotations": []}
        half = len(REPLY) // 2
        deltas = [
            {"type": "response.content_part.added", **where, "part": empty},
            *(
                {"type": "response.output_text.delta", **where, "delta": d, "logprobs": []}
                for d in (REPLY[:half], REPLY[half:])
            ),
            {"type": "response.output_text.done", **where, "text": REPLY, "logprobs": []},
            {"type": "response.content_part.done", **where, "part": item["content"][0]},
        ]
    elif item["type"] == "function_call":
        added = {**item, "status": "in_progress", "arguments": ""}
        arguments = item["arguments"]
        deltas = [
            {"type": "response.function_call_arguments.delta", **where, "delta": arguments},
            {"type": "response.function_call_arguments.done", **where, "arguments": arguments},
        ]
    else:
        added, deltas = item, []
    return [
        {"type": "response.output_item.added", "output_index": index, "item": added},
        *deltas,
        {"type": "response.output_item.done", "output_index": index, "item": item},
    ]


def anthropic_messages(body: dict) -> dict:
    if _second_turn(body):
        content = [{"type": "text", "text": REPLY}]
        stop = "end_turn"
    else:
        content = [
            {"type": "thinking", "thinking": THINKING, "signature": "c2lnbmF0dXJl"},
            {"type": "tool_use", "id": "toolu_weather_1", "name": TOOL_NAME, "input": TOOL_ARGS},
        ]
        stop = "tool_use"
    return {
        "id": "msg_standin",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 40, "output_tokens": 12},
    }


def gemini_generate(body: dict) -> dict:
    if _second_turn(body):
        parts = [{"text": REPLY}]
    else:
        # Thought summaries come only when the request asks for them.
        thinking = body.get("generationConfig", {}).get("thinkingConfig", {})
        asked = thinking.get("includeThoughts") or thinking.get("include_thoughts")
        thought = [{"text": THINKING, "thought": True}] if asked else []
        parts = [*thought, {"functionCall": {"name": TOOL_NAME, "args": TOOL_ARGS}}]
    return {
        "candidates": [
            {"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {
            "promptTokenCount": 40,
            "candidatesTokenCount": 12,
            "totalTokenCount": 52,
        },
        "modelVersion": "gemini-2.5-flash",
    }


def bedrock_converse(body: dict) -> dict:
    if _second_turn(body):
        content = [{"text": REPLY}]
        stop = "end_turn"
    else:
        content = [
            {"reasoningContent": {"reasoningText": {"text": THINKING, "signature": "c2ln"}}},
            {"toolUse": {"toolUseId": "tooluse_weather_1", "name": TOOL_NAME, "input": TOOL_ARGS}},
        ]
        stop = "tool_use"
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop,
        "usage": {"inputTokens": 40, "outputTokens": 12, "totalTokens": 52},
        "metrics": {"latencyMs": 5},
    }


ROUTES = [
    ("/v1/chat/completions", openai_chat),
    ("/v1/responses", openai_responses),
    ("/v1/messages", anthropic_messages),
    (":generateContent", gemini_generate),
    ("/converse", bedrock_converse),
]


class StandIn(BaseHTTPRequestHandler):
    """Answers each provider's chat endpoint in its documented shape."""

    answered: list = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if body.get("stream") and self.path.split("?")[0].endswith("/v1/responses"):
            self._stream(openai_responses_events(body))
            return
        for suffix, answer in ROUTES:
            if self.path.split("?")[0].endswith(suffix):
                reply = answer(body)
                StandIn.answered.append({"path": self.path.split("?")[0], "response": reply})
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
        self.send_response(404)
        self.end_headers()

    def _stream(self, events: list[dict]) -> None:
        """Answers with server-sent events, one `event:`/`data:` pair each."""
        StandIn.answered.append({"path": self.path.split("?")[0], "events": events})
        data = b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def start_stand_in() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


# --- the chats ------------------------------------------------------------

WEATHER_TOOL_OPENAI = {
    "type": "function",
    "function": {
        "name": TOOL_NAME,
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
# The same tool as the Responses API takes it: flat, no "function" wrapper
WEATHER_TOOL_RESPONSES = {
    "type": "function",
    "name": TOOL_NAME,
    "description": "The current weather in a city.",
    "parameters": WEATHER_TOOL_OPENAI["function"]["parameters"],
}


def chat_openai(base: str) -> None:
    import mlflow
    import openai

    mlflow.openai.autolog()
    client = openai.OpenAI(base_url=f"{base}/v1", api_key="stand-in")
    messages = [
        {"role": "system", "content": "You answer weather questions."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": QUESTION},
                {"type": "image_url", "image_url": {"url": IMAGE_URL}},
            ],
        },
    ]
    first = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL_OPENAI]
    )
    call = first.choices[0].message.tool_calls[0]
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": TOOL_RESULT})
    client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL_OPENAI]
    )


def chat_openai_responses(base: str) -> None:
    import mlflow
    import openai

    mlflow.openai.autolog()
    client = openai.OpenAI(base_url=f"{base}/v1", api_key="stand-in")
    items = [
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": QUESTION},
                {"type": "input_image", "image_url": IMAGE_URL},
            ],
        }
    ]
    first = client.responses.create(model="o4-mini", input=items, tools=[WEATHER_TOOL_RESPONSES])
    items += [item.model_dump(exclude_none=True) for item in first.output]
    items.append(
        {"type": "function_call_output", "call_id": "call_weather_1", "output": TOOL_RESULT}
    )
    client.responses.create(model="o4-mini", input=items, tools=[WEATHER_TOOL_RESPONSES])


def chat_openai_responses_stream(base: str) -> None:
    import mlflow
    import openai

    mlflow.openai.autolog()
    client = openai.OpenAI(base_url=f"{base}/v1", api_key="stand-in")
    items: list = [{"role": "user", "content": QUESTION}]
    output = []
    for event in client.responses.create(
        model="o4-mini", input=items, tools=[WEATHER_TOOL_RESPONSES], stream=True
    ):
        if event.type == "response.output_item.done":
            output.append(event.item.model_dump(exclude_none=True))
    items += output
    items.append(
        {"type": "function_call_output", "call_id": "call_weather_1", "output": TOOL_RESULT}
    )
    for _event in client.responses.create(
        model="o4-mini", input=items, tools=[WEATHER_TOOL_RESPONSES], stream=True
    ):
        pass


def chat_openai_agents(base: str) -> None:
    import asyncio

    import mlflow
    import openai
    from agents import (
        Agent,
        Runner,
        function_tool,
        set_default_openai_api,
        set_default_openai_client,
    )

    mlflow.openai.autolog()
    client = openai.AsyncOpenAI(base_url=f"{base}/v1", api_key="stand-in")
    set_default_openai_client(client, use_for_tracing=False)
    set_default_openai_api("responses")

    @function_tool
    def get_weather(city: str) -> str:
        """The current weather in a city."""
        return TOOL_RESULT

    agent = Agent(
        name="Weather",
        instructions="You answer weather questions.",
        model="o4-mini",
        tools=[get_weather],
    )
    asyncio.run(Runner.run(agent, QUESTION))


def chat_google_adk(base: str, thoughts: bool = False) -> None:
    import asyncio

    from google.adk.agents import LlmAgent
    from google.adk.models.google_llm import Gemini
    from google.adk.runners import InMemoryRunner
    from google.genai import types
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    os.environ["GOOGLE_API_KEY"] = "stand-in"
    os.environ["GOOGLE_GENAI_USE_VERTEXAI"] = "false"
    # ADK leaves message content out of its spans unless told (OTel GenAI's switch).
    os.environ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = "SPAN_ONLY"
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)

    def get_weather(city: str) -> dict:
        """The current weather in a city."""
        return json.loads(TOOL_RESULT)

    agent = LlmAgent(
        name="weather",
        model=Gemini(model="gemini-2.5-flash", base_url=base),
        instruction="You answer weather questions.",
        tools=[get_weather],
        generate_content_config=types.GenerateContentConfig(
            thinking_config=types.ThinkingConfig(include_thoughts=thoughts)
        ),
    )
    runner = InMemoryRunner(agent=agent, app_name="weather")

    async def run() -> None:
        session = await runner.session_service.create_session(app_name="weather", user_id="u")
        message = types.Content(role="user", parts=[types.Part(text=QUESTION)])
        async for _event in runner.run_async(
            user_id="u", session_id=session.id, new_message=message
        ):
            pass

    asyncio.run(run())
    provider.force_flush()


def chat_anthropic(base: str) -> None:
    import anthropic
    import mlflow

    mlflow.anthropic.autolog()
    client = anthropic.Anthropic(base_url=base, api_key="stand-in")
    tool = {
        "name": TOOL_NAME,
        "description": "The current weather in a city.",
        "input_schema": WEATHER_TOOL_OPENAI["function"]["parameters"],
    }
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": QUESTION},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": PNG_1X1},
                },
            ],
        }
    ]
    first = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        system="You answer weather questions.",
        messages=messages,
        tools=[tool],
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    messages.append({"role": "assistant", "content": [b.model_dump() for b in first.content]})
    messages.append(
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_weather_1", "content": TOOL_RESULT}
            ],
        }
    )
    client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=512,
        system="You answer weather questions.",
        messages=messages,
        tools=[tool],
        thinking={"type": "enabled", "budget_tokens": 1024},
    )


def chat_gemini(base: str) -> None:
    import mlflow
    from google import genai
    from google.genai import types

    mlflow.gemini.autolog()
    client = genai.Client(api_key="stand-in", http_options=types.HttpOptions(base_url=base))
    tool = types.Tool(
        function_declarations=[
            types.FunctionDeclaration(
                name=TOOL_NAME,
                description="The current weather in a city.",
                parameters=types.Schema(
                    type="OBJECT", properties={"city": types.Schema(type="STRING")}
                ),
            )
        ]
    )
    config = types.GenerateContentConfig(
        tools=[tool],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        thinking_config=types.ThinkingConfig(include_thoughts=True),
    )
    contents = [
        types.Content(
            role="user",
            parts=[
                types.Part(text=QUESTION),
                types.Part.from_bytes(data=_png_bytes(), mime_type="image/png"),
            ],
        )
    ]
    first = client.models.generate_content(
        model="gemini-2.5-flash", contents=contents, config=config
    )
    contents.append(first.candidates[0].content)
    contents.append(
        types.Content(
            role="user",
            parts=[
                types.Part.from_function_response(name=TOOL_NAME, response=json.loads(TOOL_RESULT))
            ],
        )
    )
    client.models.generate_content(model="gemini-2.5-flash", contents=contents, config=config)


def _png_bytes() -> bytes:
    import base64

    return base64.b64decode(PNG_1X1)


def chat_bedrock(base: str) -> None:
    import boto3
    import mlflow

    mlflow.bedrock.autolog()
    client = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=base,
        aws_access_key_id="stand-in",
        aws_secret_access_key="stand-in",
    )
    tool_config = {
        "tools": [
            {
                "toolSpec": {
                    "name": TOOL_NAME,
                    "description": "The current weather in a city.",
                    "inputSchema": {"json": WEATHER_TOOL_OPENAI["function"]["parameters"]},
                }
            }
        ]
    }
    messages = [{"role": "user", "content": [{"text": QUESTION}]}]
    model = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    first = client.converse(
        modelId=model,
        system=[{"text": "You answer weather questions."}],
        messages=messages,
        toolConfig=tool_config,
    )
    messages.append(first["output"]["message"])
    messages.append(
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "tooluse_weather_1",
                        "content": [{"json": json.loads(TOOL_RESULT)}],
                    }
                }
            ],
        }
    )
    client.converse(
        modelId=model,
        system=[{"text": "You answer weather questions."}],
        messages=messages,
        toolConfig=tool_config,
    )


def chat_langchain(_base: str) -> None:
    import mlflow
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    mlflow.langchain.autolog()
    call = {"name": TOOL_NAME, "args": TOOL_ARGS, "id": "call_weather_1", "type": "tool_call"}
    model = GenericFakeChatModel(
        messages=iter([AIMessage(content="", tool_calls=[call]), AIMessage(content=REPLY)])
    )
    history = [
        SystemMessage(content="You answer weather questions."),
        HumanMessage(content=QUESTION),
    ]
    first = model.invoke(history)
    history += [first, ToolMessage(content=TOOL_RESULT, tool_call_id="call_weather_1")]
    model.invoke(history)


def chat_llama_index(_base: str) -> None:
    import mlflow
    from llama_index.core.base.llms.types import ChatMessage, MessageRole
    from llama_index.core.llms import MockLLM

    mlflow.llama_index.autolog()
    llm = MockLLM()
    call = {
        "id": "call_weather_1",
        "type": "function",
        "function": {"name": TOOL_NAME, "arguments": json.dumps(TOOL_ARGS)},
    }
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content="You answer weather questions."),
        ChatMessage(role=MessageRole.USER, content=QUESTION),
        ChatMessage(
            role=MessageRole.ASSISTANT, content="", additional_kwargs={"tool_calls": [call]}
        ),
        ChatMessage(
            role=MessageRole.TOOL,
            content=TOOL_RESULT,
            additional_kwargs={"tool_call_id": "call_weather_1", "name": TOOL_NAME},
        ),
    ]
    llm.chat(messages)


def chat_dspy(_base: str) -> None:
    import dspy
    import mlflow
    from dspy.utils.dummies import DummyLM

    mlflow.dspy.autolog()

    def get_weather(city: str) -> str:
        """The current weather in a city."""
        return TOOL_RESULT

    lm = DummyLM(
        [
            {
                "next_thought": THINKING,
                "next_tool_name": TOOL_NAME,
                "next_tool_args": TOOL_ARGS,
            },
            {
                "next_thought": "I have the weather.",
                "next_tool_name": "finish",
                "next_tool_args": {},
            },
            {"reasoning": "The tool said sunny, 21 °C.", "answer": REPLY},
        ]
    )
    dspy.configure(lm=lm)
    dspy.ReAct("question -> answer", tools=[get_weather])(question=QUESTION)


CHATS = {
    "openai-chat": ("openai", chat_openai),
    "openai-responses": ("openai", chat_openai_responses),
    "openai-responses-stream": ("openai", chat_openai_responses_stream),
    "openai-agents": ("openai-agents", chat_openai_agents),
    "google-adk": ("google-adk", chat_google_adk),
    # A thinking model: ADK's OpenTelemetry parts keep no thought flag.
    "google-adk-thinking": ("google-adk", lambda base: chat_google_adk(base, thoughts=True)),
    "anthropic": ("anthropic", chat_anthropic),
    "gemini": ("google-genai", chat_gemini),
    "bedrock": ("boto3", chat_bedrock),
    "langchain": ("langchain-core", chat_langchain),
    "llama-index": ("llama-index-core", chat_llama_index),
    "dspy": ("dspy", chat_dspy),
}


def read_traces() -> list[dict]:
    """The traces MLflow stored, oldest first, with their spans."""
    import mlflow

    if hasattr(mlflow, "flush_trace_async_logging"):
        mlflow.flush_trace_async_logging()
    infos = mlflow.search_traces(return_type="list", order_by=["timestamp_ms ASC"])
    traces = []
    for info in infos:
        trace = mlflow.get_trace(info.info.trace_id)
        traces.append(
            {
                "trace_id": trace.info.trace_id,
                "spans": [span.to_dict() for span in trace.data.spans],
            }
        )
    return traces


def start_mlflow_server(tmp: str) -> tuple[subprocess.Popen, str]:
    """An `mlflow server` on a SQLite store in tmp, and its URI once it answers."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mlflow_cli = Path(sys.executable).parent / "mlflow"
    server = subprocess.Popen(
        [str(mlflow_cli), "server", "--backend-store-uri", f"sqlite:///{tmp}/mlflow.db"]
        + ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    uri = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(f"{uri}/health", timeout=1)
            return server, uri
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("mlflow server did not start")


def record(name: str) -> None:
    """Run one chat under autologging and write its spans."""
    import importlib.metadata as md

    import mlflow

    package, chat = CHATS[name]
    base = start_stand_in()
    StandIn.answered.clear()
    with tempfile.TemporaryDirectory() as tmp:
        # Artifacts (MLflow's image attachments) go under the cwd: keep them in tmp.
        os.chdir(tmp)
        server = None
        if name.startswith("google-adk"):
            server, uri = start_mlflow_server(tmp)
            mlflow.set_tracking_uri(uri)
            experiment = mlflow.set_experiment(name).experiment_id
            os.environ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = f"{uri}/v1/traces"
            os.environ["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] = f"x-mlflow-experiment-id={experiment}"
        else:
            mlflow.set_tracking_uri(f"sqlite:///{tmp}/mlflow.db")
            mlflow.set_experiment(name)
        try:
            chat(base)
            traces = read_traces()
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    fixture = {
        "recorded_by": "scripts/record-conversations.py",
        "integration": (
            "google-adk OpenTelemetry spans, OTLP into mlflow server"
            if name.startswith("google-adk")
            else f"mlflow {CHATS[name][0]} autolog"
        ),
        "versions": {
            "python": sys.version.split()[0],
            "mlflow": md.version("mlflow"),
            package: md.version(package),
            **(
                {p: md.version(p) for p in ("google-genai", "opentelemetry-sdk")}
                if name.startswith("google-adk")
                else {}
            ),
        },
        "stand_in": {
            "question": QUESTION,
            "tool": {"name": TOOL_NAME, "arguments": TOOL_ARGS},
            "tool_result": TOOL_RESULT,
            "reply": REPLY,
            "thinking": THINKING,
            "image_url": IMAGE_URL,
            "answered": list(StandIn.answered),
        },
        "traces": traces,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(traces)} trace(s)")


def main() -> None:
    names = sys.argv[1:] or list(CHATS)
    if os.environ.get("RECORD_CONVERSATIONS_CHILD") != "1":
        pythons = {}
        env = {
            **os.environ,
            "RECORD_CONVERSATIONS_CHILD": "1",
            "MLFLOW_ENABLE_ASYNC_TRACE_LOGGING": "false",
            # DSPy's LiteLLM would fetch a price list from the network.
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        }
        failed = []
        for name in names:
            # One process per provider: autolog patches stay apart.
            adk = name.startswith("google-adk")
            if adk not in pythons:
                pythons[adk] = ensure_venv(ADK_VENV, ADK_PINS) if adk else ensure_venv()
            result = subprocess.run([str(pythons[adk]), __file__, name], env=env)
            if result.returncode != 0:
                failed.append(name)
        if failed:
            print("not recorded: " + ", ".join(failed), file=sys.stderr)
            sys.exit(1)
        return
    for name in names:
        record(name)


if __name__ == "__main__":
    main()
