"""The Python conversation reader (jupyterlab_mlflow_traces/_conversation)
reads every span as the TypeScript one (src/trace/conversation) does: the
spans MLflow's autologging integrations recorded, and a seeded matrix of
hostile and half-recognized messages in every format read, each compared
as the JSON text both write."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from jupyterlab_mlflow_traces._conversation import conversation_text, span_conversation_of_raw
from jupyterlab_mlflow_traces._js import stringify
from jupyterlab_mlflow_traces.fallback import render_trace_html

from contract_files import ROOT, load_json, typescript_renders

SEED = 20261130
CASES = 1500
KINDS = ("conversation", "conversation-text")
FIXTURES = ROOT / "test" / "fixtures" / "conversations"

TEXTS = [
    "What is the weather in Paris?", "", " ", "😀 emoji 👩‍👩‍👧", "a\ud800b", "x\udc00y", "\ud800",
    "\udc00", "<script>alert(1)</script>", "javascript:alert(1)", "line\nbreak\r\nand\u2028sep",
    "名前 ß ﬁ", "__proto__", "constructor", '"quoted" \\ back', "9007199254740993", "call_1",
    "get_weather", "[[ ## answer ## ]]\n42", "[[ ## bad\n ## ]]", "\ud83d", "\ude00", "a\ud83db",
    "before [[ ## reasoning ## ]] why [[ ## answer ## ]] 😀", "x" * 300, "\t padded \u00a0",
    '{"json": "in a string"}',
]  # fmt: skip
URLS = [
    "https://example.com/paris.png", "http://example.com/a b.png", "javascript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=", "data:image/svg+xml;base64,PHN2Zz4=",
    "data:text/html,<script>alert(1)</script>", "data:image/png;base64,iVBOR\nw0KGgo=",
    "data:image/png;base64,iVBORw0KGgo=\n", " https://padded.example/x.png",
    "https://user:pw@example.com/x.png", "mlflow-attachment://abc?content_type=image/png",
    "//example.com/x.png", "file:///etc/passwd", "", "http://[::1]:5000/x.png", "https://例え.jp/😀",
]  # fmt: skip
NUMBERS = [0, -1, 1.5, 1e21, 1e300, 2**53 + 1, -(2**64), 12345678901234567890, 0.1, -0.0]
IDS = ["call_1", "call_2", "", "get_weather_0", "get_weather_1", "toolu_01", "\ud800id", None]
NAMES = ["get_weather", "search", "", "constructor", "😀tool", "get_weather_2", None]
ROLES = [
    "user", "assistant", "system", "tool", "developer", "model", "function", "ipython", "human",
    "ai", "critic", "", "constructor", "USER", "toString",
]  # fmt: skip
FORMATS = [
    "openai", "OpenAI", " open ai ", "openai\u00a0", "openai-responses", "openai_responses",
    "openai-agent", "anthropic", "gemini", "google", "google-genai", "bedrock", "langchain",
    "langgraph", "llamaindex", "llama_index", "dspy", "otel", "gen_ai", "otel-genai", "chat",
    "groq", "mistral", "litellm", "constructor", "__proto__", "unknown", "", 5, None, ["openai"],
    "BEDROC\u212a",
]  # fmt: skip


class Gen:
    """Random values of the shapes each format writes, some of them broken."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, pool: list):
        return self.rng.choice(pool)

    def text(self) -> str:
        return self.pick(TEXTS)

    def odd(self, depth: int = 0):
        """A value of any JSON type, now and then nested."""
        roll = self.rng.random()
        if roll < 0.35 or depth > 3:
            return self.text()
        if roll < 0.5:
            return self.pick(NUMBERS)
        if roll < 0.6:
            return self.pick([True, False, None])
        if roll < 0.8:
            return [self.odd(depth + 1) for _ in range(self.rng.randrange(3))]
        keys = ["text", "content", "1", "0", "__proto__", "type", "value", "😀", "id", "json"]
        return {self.pick(keys): self.odd(depth + 1) for _ in range(self.rng.randrange(4))}

    def maybe(self, value, p: float = 0.85):
        """The value, or now and then an odd one in its place."""
        return value if self.chance(p) else self.odd()

    def args(self):
        return self.pick(
            [json.dumps({"city": self.text()}), {"city": self.text()}, "", "{bad json", None, []]
        )

    def hostile(self, record: dict) -> dict:
        """A record with keys dropped, added or replaced by odd values."""
        out = dict(record)
        if out and self.chance(0.15):
            out.pop(self.pick(list(out)))
        if self.chance(0.2):
            key = self.pick(["extra", "1", "0", "__proto__", "metadata", "status", "😀", "type"])
            out[key] = self.odd()
        if out and self.chance(0.1):
            out[self.pick(list(out))] = self.odd()
        return out

    # content items of each format
    def openai_item(self) -> dict:
        kind = self.pick(
            ["text", "image_url", "input_text", "input_image", "output_text", "refusal"]
        )
        if kind in ("text", "input_text", "output_text"):
            item = {"type": kind, "text": self.maybe(self.text())}
            if kind == "output_text" and self.chance(0.5):
                item["annotations"] = [{"type": "url_citation", "url": self.pick(URLS)}]
        elif kind == "image_url":
            url = self.pick(URLS)
            item = {
                "type": kind,
                "image_url": {"url": url, "detail": "auto"} if self.chance(0.7) else url,
            }
        elif kind == "input_image":
            item = {"type": kind, "image_url": self.maybe(self.pick(URLS))}
        else:
            item = {"type": kind, "refusal": self.text()}
        return self.hostile(item)

    def anthropic_block(self) -> dict:
        kind = self.pick(
            ["text", "image", "thinking", "redacted_thinking", "tool_use", "tool_result"]
        )
        if kind == "text":
            block = {"type": "text", "text": self.maybe(self.text())}
        elif kind == "image":
            source = self.pick(
                [
                    {"type": "url", "url": self.pick(URLS)},
                    {
                        "type": "base64",
                        "media_type": self.pick(["image/png", "text/html", None]),
                        "data": self.pick(["iVBORw0KGgo=", "not base64!", "mlflow-attachment://x"]),
                    },
                    {"type": "file", "file_id": "file_1"},
                ]
            )
            block = {"type": "image", "source": self.maybe(source)}
        elif kind == "thinking":
            block = {"type": "thinking", "thinking": self.maybe(self.text()), "signature": "sig"}
        elif kind == "redacted_thinking":
            block = {"type": "redacted_thinking", "data": self.text()}
        elif kind == "tool_use":
            block = {
                "type": "tool_use",
                "id": self.pick(IDS),
                "name": self.pick(NAMES),
                "input": self.args(),
            }
        else:
            content = self.pick(
                [self.text(), [{"type": "text", "text": self.text()}], self.odd(), None]
            )
            block = {"type": "tool_result", "tool_use_id": self.pick(IDS), "content": content}
            if self.chance(0.3):
                block["is_error"] = True
        return self.hostile(block)

    def gemini_part(self) -> dict:
        roll = self.rng.randrange(8)
        if roll == 0:
            part = {"text": self.text(), "thought": self.pick([True, "true", None])}
        elif roll == 1:
            key = self.pick(["functionCall", "function_call"])
            call = {"name": self.pick(NAMES), "args": self.maybe({"city": self.text()})}
            if self.chance(0.3):
                call["id"] = self.pick(IDS)
            part = {key: self.maybe(call)}
        elif roll == 2:
            key = self.pick(["functionResponse", "function_response"])
            response = {"name": self.pick(NAMES), "response": self.odd()}
            if self.chance(0.3):
                response["id"] = self.pick(IDS)
            part = {key: response}
        elif roll == 3:
            key = self.pick(["inlineData", "inline_data"])
            mime = self.pick(["mimeType", "mime_type"])
            part = {
                key: {
                    mime: self.pick(["image/jpeg", "text/html", 5]),
                    "data": self.pick(["/9j/4AAQ", None, "x://y"]),
                }
            }
        elif roll == 4:
            key = self.pick(["fileData", "file_data"])
            part = {key: {self.pick(["fileUri", "file_uri"]): self.pick(URLS)}}
        elif roll == 5:
            part = {"text": self.text(), "thoughtSignature": "c2ln", "media_resolution": None}
        elif roll == 6:
            part = {"type": "text", "content": self.text()}
        else:
            part = {"text": self.maybe(self.text())}
        return self.hostile(part)

    def bedrock_block(self) -> dict:
        roll = self.rng.randrange(5)
        if roll == 0:
            block = {"text": self.text()}
        elif roll == 1:
            block = {
                "toolUse": {
                    "toolUseId": self.pick(IDS),
                    "name": self.pick(NAMES),
                    "input": self.odd(),
                }
            }
        elif roll == 2:
            content = [
                self.pick([{"text": self.text()}, {"json": self.odd()}, self.odd()])
                for _ in range(2)
            ]
            block = {
                "toolResult": {
                    "toolUseId": self.pick(IDS),
                    "content": self.maybe(content),
                    "status": "success",
                }
            }
        elif roll == 3:
            block = {
                "reasoningContent": {"reasoningText": {"text": self.text(), "signature": "sig"}}
            }
        else:
            fmt = self.pick(["png", "jpeg", "svg+xml", None])
            block = {
                "image": {"format": fmt, "source": {"bytes": self.pick(["iVBORw0KGgo=", 5, None])}}
            }
            if fmt is None and self.chance(0.5):
                del block["image"]["format"]
        return self.hostile(block)

    def llamaindex_block(self) -> dict:
        roll = self.rng.randrange(4)
        if roll == 0:
            block = {"block_type": "text", "text": self.text()}
        elif roll == 1:
            block = {
                "block_type": "image",
                "url": self.maybe(self.pick(URLS)),
                "image": None,
                "image_mimetype": self.pick(["image/png", None]),
                "path": None,
                "detail": None,
            }
            if self.chance(0.4):
                block["url"] = None
                block["image"] = self.pick(["iVBORw0KGgo=", None])
        elif roll == 2:
            block = {
                "block_type": "thinking",
                "content": self.maybe(self.text()),
                "num_tokens": None,
            }
        else:
            block = {
                "block_type": "tool_call",
                "tool_call_id": self.pick(IDS),
                "tool_name": self.pick(NAMES),
                "tool_kwargs": self.odd(),
            }
        return self.hostile(block)

    def otel_part(self) -> dict:
        roll = self.rng.randrange(3)
        if roll == 0:
            part = {"type": "text", "content": self.text()}
        elif roll == 1:
            part = {
                "type": "tool_call",
                "id": self.pick(IDS),
                "name": self.pick(NAMES),
                "arguments": self.odd(),
            }
        else:
            key = self.pick(["response", "result"])
            part = {"type": "tool_call_response", "id": self.pick(IDS), key: self.odd()}
        return self.hostile(part)

    def responses_item(self) -> dict:
        roll = self.rng.randrange(6)
        if roll == 0:
            item = {
                "type": "message",
                "role": self.pick(ROLES),
                "id": "msg_1",
                "status": "completed",
                "content": [self.openai_item() for _ in range(2)],
            }
        elif roll == 1:
            item = {
                "type": "reasoning",
                "id": "rs_1",
                "encrypted_content": self.text(),
                "summary": [{"type": "summary_text", "text": self.text()}],
                "content": self.pick([None, [{"type": "reasoning_text", "text": self.text()}]]),
            }
        elif roll == 2:
            item = {
                "type": "function_call",
                "call_id": self.pick(IDS),
                "id": "fc_1",
                "name": self.pick(NAMES),
                "arguments": self.args(),
            }
        elif roll == 3:
            item = {"type": "function_call_output", "call_id": self.pick(IDS), "output": self.odd()}
            if self.chance(0.2):
                del item["output"]
        elif roll == 4:
            item = {
                "type": self.pick(["web_search_call", "input_text", "mystery"]),
                "status": "x",
                "note": self.text(),
            }
        else:
            item = {"role": self.pick(ROLES), "content": self.content(self.openai_item)}
        return self.hostile(item)

    def content(self, item_of) -> object:
        """A message's content: a string, a list of items, or something odd."""
        roll = self.rng.random()
        if roll < 0.3:
            return self.text()
        if roll < 0.85:
            items = [item_of() for _ in range(self.rng.randrange(1, 4))]
            if self.chance(0.1):
                items.append([item_of(), self.text()])  # a nested list
            if self.chance(0.1):
                items.append(self.odd())
            return items
        return self.odd()

    # messages of each format
    def openai_message(self) -> dict:
        role = self.pick(ROLES)
        message: dict = {"role": role, "content": self.content(self.openai_item)}
        if self.chance(0.25):
            message["tool_calls"] = [
                {"id": self.pick(IDS), "type": "function",
                 "function": {"name": self.pick(NAMES), "arguments": self.args()}}
                for _ in range(self.rng.randrange(3))
            ]  # fmt: skip
        if self.chance(0.2):
            message["tool_call_id"] = self.pick(IDS)
            message["name"] = self.pick(NAMES)
        if self.chance(0.1):
            message["reasoning_content"] = self.text()
        if self.chance(0.1):
            message["function_call"] = {"name": self.pick(NAMES), "arguments": self.args()}
        if self.chance(0.1):
            message["refusal"] = self.text()
        if self.chance(0.05):
            message["audio"] = {"id": "audio_1", "transcript": self.text()}
        if self.chance(0.1):
            message["content"] = None
        return self.hostile(message)

    def anthropic_message(self) -> dict:
        return self.hostile(
            {"role": self.pick(ROLES), "content": self.content(self.anthropic_block)}
        )

    def gemini_content(self):
        if self.chance(0.15):
            return self.pick([self.text(), self.gemini_part()])
        content: dict = {"parts": [self.gemini_part() for _ in range(self.rng.randrange(4))]}
        if self.chance(0.8):
            content["role"] = self.pick(["user", "model", "function", 5])
        return self.hostile(content)

    def bedrock_message(self) -> dict:
        return self.hostile(
            {"role": self.pick(ROLES), "content": [self.bedrock_block() for _ in range(2)]}
        )

    def llamaindex_message(self) -> dict:
        message = {
            "role": self.pick(ROLES),
            "additional_kwargs": {},
            "blocks": [self.llamaindex_block() for _ in range(2)],
        }
        if self.chance(0.3):
            # set, or null beside the parts (read once either way)
            message["content"] = self.pick([self.text(), None])
        return self.hostile(message)

    def otel_message(self) -> dict:
        message = {"role": self.pick(ROLES), "parts": [self.otel_part() for _ in range(2)]}
        if self.chance(0.3):
            # set, or null beside the parts (read once either way)
            message["content"] = self.pick([self.text(), None])
        return self.hostile(message)

    def langchain_message(self) -> dict:
        kind = self.pick(
            ["human", "ai", "system", "tool", "chat", "function", "AIMessageChunk", "weird"]
        )
        body: dict = {"content": self.content(self.openai_item), "type": kind}
        extra: dict = {}
        if self.chance(0.3):
            extra["tool_calls"] = [
                {
                    "id": self.pick(IDS),
                    "function": {"name": self.pick(NAMES), "arguments": self.args()},
                }
            ]
        if self.chance(0.2):
            extra["reasoning_content"] = self.text()
        if self.chance(0.2):
            extra["tool_call_id"] = self.pick(IDS)
            extra["name"] = self.pick(NAMES)
        if self.chance(0.2):
            extra["other"] = self.odd()
        body["additional_kwargs"] = extra
        if self.chance(0.3):
            body["tool_calls"] = [
                {"name": self.pick(NAMES), "args": self.odd(), "id": self.pick(IDS)}
            ]
        if kind == "tool" and self.chance(0.6):
            body["tool_call_id"] = self.pick(IDS)
            body["name"] = self.pick(NAMES)
        roll = self.rng.randrange(4)
        if roll == 0:  # serialized
            wrapped = {
                "lc": 1,
                "type": "constructor",
                "id": ["langchain", "schema", "AIMessage"],
                "kwargs": body,
            }
        elif roll == 1:  # message_to_dict, sometimes nested
            data = {key: value for key, value in body.items() if key != "type"}
            wrapped = {"type": kind, "data": data}
            if self.chance(0.2):
                wrapped = {"type": kind, "data": wrapped}
        else:
            wrapped = body
        return self.hostile(wrapped)

    def dspy_text(self) -> str:
        fields = ["question", "answer", "reasoning", "next_thought", "😀 field", "a]b"]
        out = self.pick(["", "System says hi\n", "\ud800 "])
        for _ in range(self.rng.randrange(1, 4)):
            out += f"[[ ## {self.pick(fields)} ## ]]\n{self.text()}\n\n"
        return out

    def message_of(self, fmt: str) -> object:
        return {
            "openai": self.openai_message,
            "anthropic": self.anthropic_message,
            "gemini": self.gemini_content,
            "bedrock": self.bedrock_message,
            "llamaindex": self.llamaindex_message,
            "otel": self.otel_message,
            "langchain": self.langchain_message,
            "responses": self.responses_item,
            "dspy": lambda: {
                "role": self.pick(["system", "user", "assistant"]),
                "content": self.dspy_text(),
            },
        }[fmt]()

    def messages(self, fmt: str) -> list:
        return [self.message_of(fmt) for _ in range(self.rng.randrange(1, 5))]

    def side(self, fmt: str, output: bool):
        """One side of a chat span in a shape of ``fmt`` (a request or a response)."""
        r = self.rng
        if fmt == "gemini":
            if output:
                return {
                    "candidates": [
                        {"content": self.gemini_content(), "finish_reason": "STOP"}
                        for _ in range(r.randrange(1, 3))
                    ]
                }
            request = {
                "contents": self.pick(
                    [self.gemini_content(), [self.gemini_content() for _ in range(3)]]
                )
            }
            if self.chance(0.6):
                request["model"] = "gemini-2.5-flash"
            if self.chance(0.4):
                instruction = self.pick(
                    [self.text(), {"parts": [{"text": self.text()}], "role": "user"}, [self.text()]]
                )
                request["config"] = {
                    self.pick(["system_instruction", "systemInstruction"]): instruction
                }
            return request
        if fmt == "responses":
            if output:
                return {
                    "id": "resp_1",
                    "output": [self.responses_item() for _ in range(r.randrange(1, 4))],
                }
            given = self.pick(
                [self.text(), [self.responses_item() for _ in range(r.randrange(1, 4))]]
            )
            request = {"input": given, "instructions": self.pick([None, self.text()])}
            if self.chance(0.5):
                request["model"] = "o4-mini"
            return request
        if fmt == "openai" and output:
            key = self.pick(["message", "delta"])
            return {"choices": [{key: self.openai_message(), "index": 0, "finish_reason": "stop"}]}
        if fmt == "bedrock" and output:
            return {"output": {"message": self.bedrock_message()}, "stopReason": "end_turn"}
        if fmt == "langchain" and output:
            gens = [{"text": self.text(), "message": self.pick([self.langchain_message(), None])}]
            if self.chance(0.3):
                del gens[0]["message"]
            return {"generations": self.pick([gens, [gens]]), "llm_output": None}
        if fmt == "anthropic" and output:
            reply = {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [self.anthropic_block() for _ in range(2)],
                "stop_reason": "tool_use",
            }
            return self.hostile(reply)
        if fmt == "dspy" and output:
            return self.pick(
                [[self.dspy_text()], [{"text": self.dspy_text()}], [self.dspy_text(), 5]]
            )
        messages = self.messages(fmt)
        shape = r.randrange(6)
        if shape == 0:
            return messages
        if shape == 1:
            request: dict = {"messages": messages}
            if self.chance(0.4):
                request["system"] = self.pick(
                    [self.text(), [{"type": "text", "text": self.text()}], None]
                )
            if self.chance(0.5):
                request["model"] = "some-model"
            return request
        if shape == 2:
            return [messages, self.messages(fmt)]  # a LangChain batch
        if shape == 3:
            return {"message": messages[0]}
        if shape == 4:
            return messages[0]
        return self.odd()

    def attributes(self) -> dict:
        fmt = self.pick(
            [
                "openai",
                "anthropic",
                "gemini",
                "bedrock",
                "llamaindex",
                "otel",
                "langchain",
                "responses",
                "dspy",
            ]
        )
        attrs: dict = {"mlflow.spanType": self.pick(["CHAT_MODEL", "LLM", "CHAIN", None])}
        if self.chance(0.9):
            attrs["mlflow.spanInputs"] = self.side(fmt, False)
        if self.chance(0.85):
            attrs["mlflow.spanOutputs"] = self.side(fmt, True)
        if self.chance(0.5):
            attrs["mlflow.message.format"] = self.pick([fmt, *FORMATS])
        if self.chance(0.2):
            attrs["mlflow.chat.messages"] = self.pick([self.messages("openai"), self.odd()])
        if self.chance(0.3):
            tools = [
                {
                    "type": "function",
                    "function": {"name": self.pick(NAMES), "description": self.odd()},
                },
                {"name": self.text(), "description": self.text()},
                self.text(),
                {"function": "x"},
                {},
            ]
            attrs["mlflow.chat.tools"] = self.pick([tools, self.odd()])
        if self.chance(0.05):
            attrs["mlflow.spanInputs"] = self.deep(self.rng.randrange(20, 200))
        return attrs

    def deep(self, depth: int):
        value: object = {"role": "user", "content": self.text()}
        for _ in range(depth):
            value = self.pick([[value], {"messages": [value]}, {"data": value, "type": "human"}])
        return value


def encode(gen: Gen, attrs: dict) -> object:
    """Attributes as a span stores them: MLflow's JSON text, OTLP key/values, or raw."""
    mode = gen.rng.random()
    if mode < 0.7:
        return {key: json.dumps(value) for key, value in attrs.items()}
    if mode < 0.9:
        return [{"key": key, "value": otlp(value, True)} for key, value in attrs.items()]
    return {
        key: json.dumps(value) if holds_unsafe_int(value) else value for key, value in attrs.items()
    }


def otlp(value: object, top: bool) -> dict:
    """An OTLP AnyValue; MLflow's exporter writes the top level as JSON text."""
    if top and not isinstance(value, str):
        return {"string_value": json.dumps(value)}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"int_value": str(value)}
    if isinstance(value, float):
        return {"double_value": value}
    if isinstance(value, list):
        return {"array_value": {"values": [otlp(item, False) for item in value]}}
    if isinstance(value, dict):
        return {
            "kvlistValue": {
                "values": [{"key": k, "value": otlp(v, False)} for k, v in value.items()]
            }
        }
    return {"stringValue": value} if value is not None else {}


def holds_unsafe_int(value: object) -> bool:
    """Raw JSON ints beyond 2^53 reach node rounded (JSON.parse), Python's exact."""
    return any(isinstance(x, int) and abs(x) > 2**53 - 1 for x in walk(value))


def walk(value: object):
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# Attribute JSON text no generator writes: duplicate and index-like keys,
# __proto__, numbers of every kind, nesting, turns split over surrogates.
EDGE_TEXTS = [
    '{"role":"user","content":"a","content":"b","1":"one","0":"zero","__proto__":{"x":"p"}}',
    '[{"role":"user","content":[{"type":"text","text":"t","__proto__":{"p":"q"},"10":"ten","2":"two"}]}]',
    '[{"role":"constructor","content":"x"},{"role":"toString","content":"y"},{"role":"__proto__"}]',
    '[{"role":"user","content":[1,1.0,-0,1e400,true,false,null,12345678901234567890,0.1,1e21,1.5e-7]}]',
    '[{"role":"user","content":"x","extra":"\\ud83d","more":"\\ude00 tail"},'
    '{"role":"user","content":"😀"}]',
    '[{"role":"assistant","content":null,"tool_calls":[{"id":"get\\nweather_0",'
    '"function":{"name":"get\\nweather","arguments":"{}"}}]},'
    '{"role":"tool","parts":[{"type":"tool_call_response","id":"get\\nweather_1","response":"r"}]}]',
    '[{"role":"model","parts":[{"functionCall":{"name":"f","args":{}}},{"functionCall":{"name":"f"}}]},'
    '{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"r":1}}},'
    '{"functionResponse":{"name":"f"}},{"functionResponse":{"name":"f","response":3}}]}]',
    '{"messages":[{"role":"user","content":"hi"}],"system":null}',
    '{"messages":[],"model":"m"}',
    '{"contents":[],"model":"m"}',
    '{"contents":"just text"}',
    '{"contents":"just text","model":"gemini"}',
    '{"type":"message","role":"assistant","content":"hello"}',
    '{"role":"assistant"}',
    '"[[ ## a ## ]] b"',
    '["[[ ## a ## ]] b", "[[ ## c ## ]]"]',
    '[["[[ ## a ## ]] b"]]',
    "[[]]",
    '{"input":"hi","instructions":"sys"}',
    '{"input":["hi",{"type":"message","role":"user","content":"x"}],"model":"m"}',
    '[{"role":"user","content":' + "[" * 300 + '"deep"' + "]" * 300 + "}]",
    '[{"role":"user","content":"x","n":' + "[" * 600 + "9007199254740993" + "]" * 600 + "}]",
    "not json",
    "",
]


def edge_spans() -> list[dict]:
    spans = []
    for text in EDGE_TEXTS:
        for hint in (None, '"openai"', '"dspy"', '"gemini"'):
            attrs = {"mlflow.spanInputs": text, "mlflow.spanOutputs": text}
            if hint is not None:
                attrs["mlflow.message.format"] = hint
            spans.append({"span_id": "e", "attributes": attrs})
    return spans


def generated() -> list[dict]:
    gen = Gen(random.Random(SEED))
    spans = []
    for n in range(CASES):
        spans.append(
            {"span_id": f"{n:016x}", "name": "chat", "attributes": encode(gen, gen.attributes())}
        )
    spans.extend(edge_spans())
    spans.append("not a span")
    spans.append({"span_id": "x", "attributes": "not attributes"})
    return spans


def recorded() -> list[dict]:
    """Every span of every trace MLflow's integrations recorded."""
    spans = []
    for path in sorted(FIXTURES.glob("*.json")):
        for trace in load_json(path)["traces"]:
            spans.extend(trace["spans"])
    return spans


def text_of(raw: object) -> dict | None:
    """What the kind 'conversation-text' writes: each side's conversation_text."""
    read = span_conversation_of_raw(raw)
    if read is None:
        return None
    return {
        side: read[side] and conversation_text(read[side]["messages"])
        for side in ("input", "output")
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_read_the_same_conversations(tmp_path):
    fixture_spans = recorded()
    spans = fixture_spans + generated()
    items = [{"kind": kind, "data": span} for span in spans for kind in KINDS]
    expected = typescript_renders(items, tmp_path)
    read = fixtures_read = 0
    for i, (item, golden) in enumerate(zip(items, expected, strict=True)):
        assert golden is not None, f"item {i}: the TypeScript reader threw: {json.dumps(item)}"
        if item["kind"] == "conversation-text":
            assert stringify(text_of(item["data"])) == golden, f"item {i}: {json.dumps(item)}"
            continue
        result = span_conversation_of_raw(item["data"])
        assert stringify(result) == golden, f"item {i}: {json.dumps(item)}"
        if result is not None and (result["input"] or result["output"]):
            read += 1
            fixtures_read += i < len(fixture_spans) * len(KINDS)
    print(f"{len(spans)} spans compared, {read} read as a conversation ({fixtures_read} recorded)")
    assert fixtures_read >= 30
    assert read >= len(spans) * 0.6


def as_model_call(span: dict, n: int) -> dict:
    """The span typed LLM (in its attributes' own encoding), timed, in trace order."""
    attributes = span.get("attributes")
    kind = json.dumps("LLM")
    if isinstance(attributes, dict):
        attributes = {**attributes, "mlflow.spanType": kind}
    elif isinstance(attributes, list):
        attributes = [*attributes, {"key": "mlflow.spanType", "value": {"string_value": kind}}]
    start = 1_795_465_496_000_000_000 + n * 1000
    return {**span, "span_id": f"{n:016x}", "attributes": attributes,
            "start_time_unix_nano": start, "end_time_unix_nano": start + 500}  # fmt: skip


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_python_and_typescript_fallbacks_write_the_same_conversations(tmp_path):
    """The text/html fallback of traces of generated chat spans (every format,
    hostile strings), 12 to a trace, half of them typed as model calls."""
    spans = [span for span in generated() if isinstance(span, dict)]
    spans = [as_model_call(span, n) if n % 2 else span for n, span in enumerate(spans)]
    bundles = [
        {"version": 1, "traces": [{"trace_id": f"tr-{i}", "spans": spans[i : i + 12]}]}
        for i in range(0, len(spans), 12)
    ]
    expected = typescript_renders([{"kind": "trace", "data": b} for b in bundles], tmp_path)
    written = 0
    for i, (bundle, golden) in enumerate(zip(bundles, expected, strict=True)):
        assert golden is not None, f"bundle {i}: the TypeScript fallbacks threw"
        html = render_trace_html(bundle)
        assert html == golden["text/html"], f"bundle {i}: {json.dumps(bundle)}"
        written += html.count('class="jp-MlflowTraceFallback-chat"')
    print(f"{len(bundles)} traces, {written} conversations written")
    assert written >= len(spans) * 0.3
