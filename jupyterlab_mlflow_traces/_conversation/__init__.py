"""Python port of src/trace/conversation/index.ts; kept equal by test_conversation_parity.py.

A span's inputs and outputs read as a conversation, in the shapes MLflow's
autologging integrations write: OpenAI Chat Completions and Responses,
Anthropic Messages, Gemini, Bedrock Converse, LangChain, LlamaIndex, DSPy,
OpenTelemetry GenAI and the ``mlflow.chat.*`` attributes. What
``span_conversation`` returns is what the TypeScript ``spanConversation``
returns: plain dicts and lists with its keys, in its order, a key absent
where TypeScript leaves it ``undefined`` (``stringify`` of the two is the
same text).

Notes
-----
Invariant: no string of a message is lost. Each string value of a message
appears in one of its parts (text, reasoning, tool call, tool result, image
or note), except part-type discriminators and the metadata keys in
``METADATA_KEYS``; strings under keys a reader does not know become text
parts. A shape recognized nowhere gives None, and the caller keeps its
JSON. Images keep only http(s) and ``data:image/…;base64`` URLs; any other
is replaced by a note and never loaded.

Layers, each importing only those before it: types, strings, parts; the
item readers of each format (openai, anthropic, llamaindex, otel, gemini,
bedrock, dspy, langchain); content (an item to parts); message; turns;
detect (format and shape); this entry; transcript (a read conversation as
text, for the comparison and the fallbacks).
"""

from __future__ import annotations

import re
from typing import Any

from .._model import _MISSING, decode_attribute
from .detect import message_format_hint, read_shape
from .gemini import UnnamedCalls
from .otel import chat_tools
from .parts import is_loadable_image_url
from .strings import METADATA_KEYS
from .transcript import (
    conversation_text,
    group_suffix,
    image_label,
    part_text,
    shown_messages,
    shown_parts,
    tool_result_label,
)

__all__ = [
    "METADATA_KEYS",
    "chat_tools",
    "conversation_text",
    "group_suffix",
    "image_label",
    "is_loadable_image_url",
    "is_model_call",
    "message_format_hint",
    "part_text",
    "read_conversation",
    "shown_messages",
    "shown_parts",
    "span_conversation",
    "span_conversation_of_raw",
    "tool_result_label",
]


def read_conversation(value: Any, format_: Any = None) -> dict | None:
    """One side of a chat span (its inputs or its outputs) as a conversation, or
    None when no known shape holds it. ``format_`` is ``mlflow.message.format``."""
    hint = message_format_hint(format_)
    try:
        read = read_shape(value, hint)
        if read is None or len(read["messages"]) == 0:
            return None
        # "openai" names both OpenAI APIs; the shape tells which.
        named = (
            read["format"] if hint == "openai" and read["format"] == "openai-responses" else hint
        )
        return {
            "format": named if named is not None else read["format"],
            "messages": read["messages"],
        }
    except Exception:  # as TypeScript's catch: a value too deep to read is no conversation
        return None


# Google ADK names a call or response that has no id `<name>_<index of its
# part>` in its OpenTelemetry parts, so a call after a thought part and its
# response differ in the index. JavaScript's `.` stops at \n \r \u2028 \u2029.
_ADK_FALLBACK_ID = re.compile("([^\n\r\u2028\u2029]+)_[0-9]+")


def _adk_name(call_id: str) -> str | None:
    match = _ADK_FALLBACK_ID.fullmatch(call_id)
    return match.group(1) if match else None


def _adk_call(calls: dict[str, dict], call_id: str) -> dict | None:
    """The first unanswered call ADK named after ``name`` as it named the result ``call_id``."""
    name = _adk_name(call_id)
    if name is None:
        return None
    for call in calls.values():
        if "result" not in call and call["name"] == name and _adk_name(call.get("id", "")) == name:
            return call
    return None


def _link_results(messages: list[dict]) -> None:
    """Give each tool call the result answering it (same id), marking the result linked."""
    calls: dict[str, dict] = {}
    # Gemini gives calls and responses no ids: they pair by name, in order.
    unnamed = UnnamedCalls()
    for message in messages:
        for part in message["parts"]:
            if part["kind"] == "toolCall":
                if "id" in part:
                    calls[part["id"]] = part
                else:
                    unnamed.add(part)
            elif part["kind"] == "toolResult":
                if "callId" in part:
                    call = calls.get(part["callId"]) or _adk_call(calls, part["callId"])
                else:
                    call = unnamed.take(part.get("name"))
                if call is not None and "result" not in call:
                    call["result"] = part
                    part["linked"] = True


def span_conversation(span: dict) -> dict:
    """A chat span's conversation: its inputs and outputs read, tool results
    tied to their calls, and the tools offered. The ``mlflow.chat.messages``
    attribute, when present and readable, stands for the inputs.

    ``span`` is ``{"inputs", "outputs", "attributes"}`` as the trace model
    decodes them (see ``span_conversation_of_raw``)."""
    attributes = span.get("attributes") or {}
    format_ = attributes.get("mlflow.message.format")
    from_attribute = read_conversation(attributes.get("mlflow.chat.messages"))
    given = read_conversation(span.get("inputs"), format_)
    if given is None and from_attribute is not None:
        given = {**from_attribute, "format": "mlflow-chat"}
    output = read_conversation(span.get("outputs"), format_)
    _link_results([*(given["messages"] if given else []), *(output["messages"] if output else [])])
    return {
        "input": given,
        "output": output,
        "tools": chat_tools(attributes.get("mlflow.chat.tools")),
    }


# What the TypeScript model reads an integer beyond 2^53 as: its digits (json.ts)
_MAX_SAFE_INTEGER = 2**53 - 1
_CONVERSATION_KEYS = (
    "mlflow.spanInputs", "mlflow.spanOutputs", "mlflow.message.format", "mlflow.chat.messages",
    "mlflow.chat.tools",
)  # fmt: skip


def _unsafe_ints_as_strings(value: Any) -> Any:
    """A copy of a decoded value with each int beyond 2^53 as its decimal
    string, as ``parseJsonExact`` and ``decodeOtlpValue`` give it (iterative);
    the value itself when it holds none."""
    unsafe = False
    stack = [value]
    while stack and not unsafe:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            unsafe = (
                isinstance(item, int)
                and not isinstance(item, bool)
                and abs(item) > _MAX_SAFE_INTEGER
            )
    if not unsafe:
        return value
    root: list = [None]
    # (container the copy goes into, key or index, value to copy)
    work: list[tuple[Any, Any, Any]] = [(root, 0, value)]
    while work:
        target, key, item = work.pop()
        if isinstance(item, dict):
            copy: Any = dict.fromkeys(item)
            work.extend((copy, k, v) for k, v in item.items())
        elif isinstance(item, list):
            copy = [None] * len(item)
            work.extend((copy, i, v) for i, v in enumerate(item))
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > _MAX_SAFE_INTEGER:
            copy = str(item)
        else:
            copy = item
        target[key] = copy
    return root[0]


def span_conversation_of_raw(raw_span: Any) -> dict | None:
    """``span_conversation`` of a raw span dict (MLflow 3 or OTLP attributes),
    its attributes decoded as the TypeScript model decodes them; None for
    an entry that is not a span dict (the model skips it)."""
    if not isinstance(raw_span, dict):
        return None
    raw = raw_span.get("attributes")
    decoded = {}
    for key in _CONVERSATION_KEYS:
        value = decode_attribute(raw, key)
        decoded[key] = None if value is _MISSING else _unsafe_ints_as_strings(value)
    return span_conversation(
        {
            "inputs": decoded["mlflow.spanInputs"],
            "outputs": decoded["mlflow.spanOutputs"],
            "attributes": decoded,
        }
    )


def is_model_call(span_type: str, raw_attributes: Any) -> bool:
    """A span that is a model call: its type says so, or it carries MLflow's
    chat attributes (``raw_attributes`` as the span dict holds them). The
    static fallbacks write the conversations of these only, not of every
    chain or parser that passes messages along."""
    return span_type in ("CHAT_MODEL", "LLM") or any(
        decode_attribute(raw_attributes, key) is not _MISSING
        for key in ("mlflow.message.format", "mlflow.chat.messages")
    )
