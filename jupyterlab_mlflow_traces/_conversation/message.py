"""Python port of src/trace/conversation/message.ts; kept equal by test_conversation_parity.py.

One message with a role: OpenAI Chat's ``content``, ``tool_calls``,
``tool_call_id`` and ``reasoning_content``; LangChain's typed messages;
LlamaIndex's ``blocks``; OpenTelemetry GenAI's ``parts``. Every string of
the message ends up in a part.
"""

from __future__ import annotations

from typing import Any

from .content import content_parts
from .dspy import dspy_parts
from .langchain import apply_additional_kwargs, unwrap_message
from .openai import tool_calls_of
from .parts import tool_call, tool_result
from .strings import UNDEFINED, leftovers, missing, result_text

_ROLE_NAMES = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "model": "assistant",
    "system": "system",
    "developer": "system",
    "tool": "tool",
    "function": "tool",
    "ipython": "tool",
}


def role_kind_of(role: str) -> str:
    """The kind of a role name; ``other`` for a name no format uses."""
    return _ROLE_NAMES.get(role, "other")


_MESSAGE_KEYS = (
    "role", "content", "parts", "blocks", "tool_calls", "tool_call_id", "reasoning_content",
    "additional_kwargs", "name", "function_call", "data", "kwargs", "lc", "audio",
)  # fmt: skip


def _result_of(parts: list[dict], content: Any) -> str:
    """A tool message's content as one text (the parts' text, or the raw value)."""
    if parts and all(p["kind"] == "text" for p in parts):
        return "\n".join(p["text"] for p in parts)
    return result_text(content)


def read_message(value: Any, dspy: bool) -> dict | None:
    """One message, or None when the value has no role; ``dspy`` reads sections."""
    unwrapped = unwrap_message(value)
    if unwrapped is None:
        return None
    message, role = unwrapped
    parts: list[dict] = []
    reasoning = message.get("reasoning_content")
    if isinstance(reasoning, str) and reasoning != "":
        parts.append({"kind": "reasoning", "text": reasoning})
    # The content is the first of these that is set; the others are read after it
    content_key = next(
        (key for key in ("content", "parts") if message.get(key) is not None), "blocks"
    )
    content = message.get(content_key, UNDEFINED)
    dspy_text = dspy_parts(content) if dspy and isinstance(content, str) else None
    body = dspy_text if dspy_text is not None else content_parts(content)
    kind = role_kind_of(role)
    call_id = message.get("tool_call_id")
    if isinstance(call_id, str):
        # A tool's answer: its whole content is the result of that call.
        parts.append(tool_result(call_id, message.get("name"), _result_of(body, content)))
    else:
        parts.extend(body)
        for key in ("parts", "blocks"):
            if key != content_key and key in message:
                parts.extend(content_parts(message[key]))
    parts.extend(tool_calls_of(message.get("tool_calls")))
    kwargs_rest = apply_additional_kwargs(message, parts)
    fn_call = message.get("function_call")
    if isinstance(fn_call, dict):
        parts.append(tool_call(None, fn_call.get("name"), fn_call.get("arguments")))
    parts.extend(kwargs_rest)
    parts.extend(leftovers(message, _MESSAGE_KEYS))
    if kind == "tool" and not isinstance(call_id, str) and isinstance(message.get("name"), str):
        parts.insert(0, {"kind": "text", "heading": "tool", "text": message["name"]})
    kept = [
        p for p in parts if not (p["kind"] == "text" and p["text"] == "" and "heading" not in p)
    ]
    kept.extend(missing(message, kept))
    return {"role": role, "roleKind": kind, "parts": kept}


def read_messages(items: Any, dspy: bool) -> list[dict] | None:
    """A list of messages, or None when it is empty or one item has no role."""
    if not isinstance(items, list) or len(items) == 0:
        return None
    messages = []
    for item in items:
        message = read_message(item, dspy)
        if message is None:
            return None
        messages.append(message)
    return messages
