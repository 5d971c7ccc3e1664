"""Python port of src/trace/conversation/openai.ts; kept equal by test_conversation_parity.py.

OpenAI's shapes (also what Groq, Mistral and LiteLLM write): Chat
Completions image parts, tool calls and ``choices``; the Responses API's
items (input/output text, images, reasoning, function calls and outputs).
The Responses item list is read in turns.py.
"""

from __future__ import annotations

from typing import Any

from .parts import (
    KnownPart,
    TypeReader,
    image_part,
    one,
    reasoning_part,
    text_item,
    tool_call,
    tool_result,
)
from .strings import UNDEFINED, coalesce, strings_in


def _image_url(item: dict) -> KnownPart:
    value = item.get("image_url")
    return one(image_part(value.get("url") if isinstance(value, dict) else value), "image_url")


def _reasoning(item: dict) -> KnownPart:
    texts = strings_in(item.get("summary"), True) + strings_in(item.get("content"), True)
    return KnownPart(
        [reasoning_part(text) for text in texts], ["summary", "content", "encrypted_content"]
    )


def _function_call(item: dict) -> KnownPart:
    call = tool_call(
        coalesce(item.get("call_id"), item.get("id")), item.get("name"), item.get("arguments")
    )
    return one(call, "call_id", "name", "arguments")


def _function_call_output(item: dict) -> KnownPart:
    result = tool_result(item.get("call_id"), None, item.get("output", UNDEFINED))
    return one(result, "call_id", "output")


#: Readers of OpenAI content items and Responses items, by ``type``.
OPENAI_TYPES: dict[str, TypeReader] = {
    "input_text": text_item,
    "output_text": text_item,
    "summary_text": text_item,
    "image_url": _image_url,
    "input_image": lambda item: one(image_part(item.get("image_url")), "image_url"),
    "reasoning": _reasoning,
    "function_call": _function_call,
    "function_call_output": _function_call_output,
}


def tool_calls_of(calls: Any) -> list[dict]:
    """Tool calls in OpenAI (``function``) or LangChain (``name``, ``args``) shape."""
    if not isinstance(calls, list):
        return []
    out = []
    for call in calls:
        if isinstance(call, dict):
            fn = call["function"] if isinstance(call.get("function"), dict) else call
            args = coalesce(fn.get("arguments"), fn.get("args"))
            out.append(tool_call(call.get("id"), fn.get("name"), args))
    return out


def choice_messages(choices: list) -> list:
    """The messages of Chat Completions ``choices`` (streamed: their ``delta``)."""
    return [
        coalesce(c.get("message"), c.get("delta")) if isinstance(c, dict) else None for c in choices
    ]
