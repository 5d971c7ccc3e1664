"""Python port of src/trace/conversation/detect.ts; kept equal by test_conversation_parity.py.

Which format a side of a chat span is in, and its messages read: the
format ``mlflow.message.format`` names comes first, then the shape.
"""

from __future__ import annotations

import marshal
import re
from typing import Any

from .._js import JS_WHITESPACE
from .bedrock import converse_reply
from .dspy import DSPY_MARKER, dspy_completions
from .gemini import candidate_contents, system_instruction
from .langchain import generation_messages
from .message import read_message, read_messages
from .openai import choice_messages
from .strings import strings_in
from .turns import gemini_contents, responses_items, system_message

_FORMAT_NAMES = {
    "openai": "openai",
    "openai-chat": "openai",
    "chat": "openai",
    "litellm": "openai",
    "groq": "openai",
    "mistral": "openai",
    "openai-responses": "openai-responses",
    "openai_responses": "openai-responses",
    "openai-agent": "openai-responses",
    "anthropic": "anthropic",
    "gemini": "gemini",
    "google": "gemini",
    "google-genai": "gemini",
    "bedrock": "bedrock",
    "langchain": "langchain",
    "langgraph": "langchain",
    "llamaindex": "llamaindex",
    "llama_index": "llamaindex",
    "llama-index": "llamaindex",
    "dspy": "dspy",
    "otel": "otel-genai",
    "otel-genai": "otel-genai",
    "gen_ai": "otel-genai",
}

# JavaScript's `\s`, which Python's differs from
_JS_SPACE = re.compile("[" + re.escape(JS_WHITESPACE) + "]+")


def message_format_hint(value: Any) -> str | None:
    """The format ``mlflow.message.format`` names, if it is one read here."""
    if not isinstance(value, str):
        return None
    return _FORMAT_NAMES.get(_JS_SPACE.sub("", value.lower()))


def _guess_format(items: list, hint: str | None) -> str:
    """The format a message list's shape suggests, the hint winning."""
    if hint:
        return hint
    records = [m for m in items if isinstance(m, dict)]
    if any(isinstance(m.get("blocks"), list) for m in records):
        return "llamaindex"
    if any(isinstance(m.get("parts"), list) for m in records):
        return "otel-genai"
    if any(not isinstance(m.get("role"), str) and isinstance(m.get("type"), str) for m in records):
        return "langchain"
    return "openai"


def _with_format(format_: str, messages: list[dict] | None) -> dict | None:
    """``messages`` in ``format_``, or None when there are none."""
    return {"format": format_, "messages": messages} if messages is not None else None


def _may_hold_marker(value: Any) -> bool:
    """False only when no string under ``value`` holds the opening of a DSPy
    marker: marshal writes each string's UTF-8 whole and the opening is
    ASCII, in a C pass about 2.5 times cheaper than walking the strings.

    #### Notes
    The walk it spares raises on a key that is not a string (``js_keys``);
    such a value (never JSON's, which the callers decode) outside the
    messages is now read, as TypeScript reads it, instead of giving None.
    """
    try:
        return b"[[ ## " in marshal.dumps(value, 2)  # version 2: no back-references
    except ValueError:  # a type marshal does not write, or too deep
        return True


def read_shape(value: Any, hint: str | None) -> dict | None:
    """A side's messages and the format its shape says, or None."""
    # DSPy's sections, found anywhere, make the whole side DSPy's.
    named = hint
    if (
        named is None
        and _may_hold_marker(value)
        and DSPY_MARKER.search("\n".join(strings_in(value, True)))
    ):
        named = "dspy"
    dspy = named == "dspy"
    if isinstance(value, list):
        read = _read_list(value, named, dspy)
    elif isinstance(value, dict):
        read = _read_record(value, named, dspy)
    else:
        read = None
    if read is not None and hint is None and dspy:
        return {**read, "format": "dspy"}
    return read


def _grouped(noun: str, lists: list[list[dict] | None]) -> list[dict] | None:
    """Alternatives or a batch, one list of messages each: labelled with the
    ``noun`` and place of theirs when there are several, or None when one is."""
    if any(messages is None for messages in lists):
        return None
    n = len(lists)
    if n <= 1:
        return [m for messages in lists for m in messages]
    return [
        {**m, "group": f"{noun} {i + 1} of {n}"}
        for i, messages in enumerate(lists)
        for m in messages
    ]


def _read_list(value: list, hint: str | None, dspy: bool) -> dict | None:
    """A list: messages, LangChain's batch of lists, DSPy completions or Responses items."""
    if value and all(isinstance(item, list) for item in value):
        # LangChain's batch of message lists: a conversation each.
        batch = _grouped("conversation", [read_messages(row, dspy) if row else [] for row in value])
        return _with_format("langchain", batch or None)
    messages = read_messages(value, dspy)
    if messages:
        return {"format": _guess_format(value, hint), "messages": messages}
    completions = dspy_completions(value)
    if completions:
        return _with_format("dspy", completions)
    if hint == "openai-responses" or any(
        isinstance(item, dict) and isinstance(item.get("type"), str) for item in value
    ):
        return _with_format("openai-responses", responses_items(value, hint is not None))
    return None


def _read_record(value: dict, hint: str | None, dspy: bool) -> dict | None:
    """A record: a request (messages, contents, input) or a response, in order."""
    if isinstance(value.get("messages"), list):
        messages = read_messages(value["messages"], dspy)
        if messages:
            system = system_message(value.get("system"))
            if hint is None and "system" in value:
                hint = "anthropic"
            return {
                "format": _guess_format(value["messages"], hint),
                "messages": [*system, *messages],
            }
        return _with_format("openai-responses", responses_items(value["messages"], False))
    # A model call's request, not any function with an `input` or `contents`
    # argument: a format named, or a model given.
    model_call = hint is not None or isinstance(value.get("model"), str)
    contents = value.get("contents")
    if "contents" in value and (
        model_call
        or (
            isinstance(contents, list)
            and all(isinstance(c, dict) and isinstance(c.get("parts"), list) for c in contents)
        )
    ):
        messages = gemini_contents(contents)
        system = system_message(system_instruction(value.get("config")))
        return _with_format("gemini", messages and [*system, *messages])
    given = value.get("input")
    if isinstance(given, (str, list)):
        items = responses_items([given] if isinstance(given, str) else given, model_call)
        system = system_message(value.get("instructions"))
        return _with_format("openai-responses", items and [*system, *items])
    return _read_response(value, hint, dspy)


def _read_response(value: dict, hint: str | None, dspy: bool) -> dict | None:
    """A response: choices, candidates, output items or message, generations, a message."""
    if isinstance(value.get("choices"), list):
        messages = read_messages(choice_messages(value["choices"]), dspy)
        return _with_format("openai", messages and _grouped("choice", [[m] for m in messages]))
    if isinstance(value.get("candidates"), list):
        candidates = candidate_contents(value["candidates"])
        return _with_format(
            "gemini",
            _grouped("candidate", [gemini_contents([c]) for c in candidates])
            if candidates
            else gemini_contents(candidates),
        )
    if isinstance(value.get("output"), list):
        return _with_format("openai-responses", responses_items(value["output"], False))
    reply = converse_reply(value)
    if reply is not None:
        message = read_message(reply, dspy)
        return _with_format("bedrock", message and [message])
    if isinstance(value.get("generations"), list):
        generations, groups = generation_messages(value["generations"])
        messages = read_messages(generations, dspy)
        return _with_format(
            "langchain",
            messages
            and [
                m if g is None else {**m, "group": g} for m, g in zip(messages, groups, strict=True)
            ],
        )
    if isinstance(value.get("message"), dict):
        message = read_message(value["message"], dspy)
        return _with_format(_guess_format([value["message"]], hint), message and [message])
    message = read_message(value, dspy)
    if message and ("content" in value or "parts" in value or "blocks" in value):
        format_ = "anthropic" if value.get("type") == "message" else _guess_format([value], hint)
        return {"format": format_, "messages": [message]}
    return None
