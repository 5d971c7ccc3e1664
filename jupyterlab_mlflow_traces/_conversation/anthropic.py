"""Python port of src/trace/conversation/anthropic.ts; kept equal by test_conversation_parity.py.

Anthropic Messages content blocks: image sources, thinking (shown folded),
redacted thinking, tool_use and tool_result. Text blocks are read by the
common ``text`` reader; the system prompt given apart, in turns.py.
"""

from __future__ import annotations

from .parts import (
    KnownPart,
    TypeReader,
    data_url,
    image_part,
    one,
    reasoning_part,
    tool_call,
    tool_result,
)
from .strings import UNDEFINED

#: The keys an ``image`` item's readers read (Anthropic's and LlamaIndex's).
IMAGE_KEYS = ("source", "url", "image", "path")


def _image(item: dict) -> KnownPart | None:
    """``{source: {type: url | base64}}``; another source is LlamaIndex's to read."""
    source = item["source"] if isinstance(item.get("source"), dict) else None
    kind = source.get("type") if source is not None else None
    if kind == "url":
        return one(image_part(source.get("url")), *IMAGE_KEYS)
    if kind == "base64":
        return one(image_part(data_url(source.get("media_type"), source.get("data"))), *IMAGE_KEYS)
    return None


def _thinking(item: dict) -> KnownPart | None:
    thinking = item.get("thinking")
    return one(reasoning_part(thinking), "thinking") if isinstance(thinking, str) else None


def _tool_result(item: dict) -> KnownPart:
    result = tool_result(item.get("tool_use_id"), None, item.get("content", UNDEFINED))
    return one(result, "tool_use_id", "content", "is_error")


#: Readers of Anthropic content blocks, by ``type``.
ANTHROPIC_TYPES: dict[str, TypeReader] = {
    "image": _image,
    "thinking": _thinking,
    "redacted_thinking": lambda item: one({"kind": "note", "text": "redacted thinking"}, "data"),
    "tool_use": lambda item: one(
        tool_call(item.get("id"), item.get("name"), item.get("input")), "name", "input"
    ),
    "tool_result": _tool_result,
}
