"""Python port of src/trace/conversation/turns.ts; kept equal by test_conversation_parity.py.

Turns that are not a plain list of messages: a system prompt given apart
(Anthropic, Bedrock, OpenAI Responses' ``instructions``, Gemini's system
instruction), OpenAI Responses items, and Gemini ``contents``.
"""

from __future__ import annotations

from typing import Any

from .content import content_parts, known_part
from .message import read_message, role_kind_of
from .strings import leftovers, missing, nullish


def system_message(system: Any) -> list[dict]:
    """A system prompt given apart from the messages (Anthropic, Bedrock)."""
    if nullish(system):
        return []
    parts = content_parts(system)
    parts.extend(missing({"system": system}, parts))
    return [{"role": "system", "roleKind": "system", "parts": parts}] if parts else []


def responses_items(items: list, strings: bool) -> list[dict] | None:
    """OpenAI Responses items (input or output) as messages; a string item (the
    user's text) only when ``strings``, the span being known to be a model call."""
    messages: list[dict] = []
    for item in items:
        if isinstance(item, str) and strings:
            text = {"kind": "text", "text": item}
            messages.append({"role": "user", "roleKind": "user", "parts": [text]})
            continue
        if not isinstance(item, dict):
            return None
        message = read_message(item, False)
        if message is not None:
            messages.append(message)
            continue
        known = known_part(item)
        if known is None:
            return None
        role = "tool" if item.get("type") == "function_call_output" else "assistant"
        parts = [*known.parts, *leftovers(item, known.used)]
        parts.extend(missing(item, parts))
        last = messages[-1] if messages else None
        if role == "assistant" and last is not None and last["roleKind"] == "assistant":
            last["parts"].extend(parts)
        else:
            messages.append({"role": role, "roleKind": role_kind_of(role), "parts": parts})
    return messages or None


def gemini_contents(contents: Any) -> list[dict] | None:
    """Gemini ``contents``: a string, a part, a content, or a list of them."""
    items = contents if isinstance(contents, list) else [contents]
    messages: list[dict] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("parts"), list):
            role = item["role"] if isinstance(item.get("role"), str) else "user"
            parts = [*content_parts(item["parts"]), *leftovers(item, ("role", "parts"))]
            parts.extend(missing({**item, "role": None}, parts))
            messages.append({"role": role, "roleKind": role_kind_of(role), "parts": parts})
        elif isinstance(item, (str, dict)):
            # A bare part or string: a turn of the user's, joined to the one before.
            parts = content_parts(item)
            parts.extend(missing({"item": item}, parts))
            last = messages[-1] if messages else None
            if last is not None and last["role"] == "user":
                last["parts"].extend(parts)
            else:
                messages.append({"role": "user", "roleKind": "user", "parts": parts})
        else:
            return None
    return messages or None
