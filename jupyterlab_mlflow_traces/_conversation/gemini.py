"""Python port of src/trace/conversation/gemini.ts; kept equal by test_conversation_parity.py.

Gemini's parts, which carry no ``type``: function calls and responses,
inline and file data, and ``thought`` text (shown folded); its candidates
and system instruction, and how its calls and responses, which carry no
ids, pair. Google ADK writes the same shapes. The ``contents`` list is
read in turns.py.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .parts import KeyReader, data_url, image_part, tool_call, tool_result
from .strings import UNDEFINED, coalesce

#: Readers of Gemini parts, by the key holding them (snake or camel case).
GEMINI_KEYS: list[KeyReader] = [
    (
        ["functionCall", "function_call"],
        lambda v: [tool_call(v.get("id"), v.get("name"), v.get("args"))],
    ),
    (
        ["functionResponse", "function_response"],
        lambda v: [tool_result(v.get("id"), v.get("name"), v.get("response", UNDEFINED))],
    ),
    (
        ["inlineData", "inline_data"],
        lambda v: [
            image_part(data_url(coalesce(v.get("mimeType"), v.get("mime_type")), v.get("data")))
        ],
    ),
    (
        ["fileData", "file_data"],
        lambda v: [image_part(coalesce(v.get("fileUri"), v.get("file_uri")))],
    ),
]


def is_thought_text(item: dict) -> bool:
    """Whether an item is thought text: a Gemini ``thought`` part or a ``reasoning`` text item."""
    kind = coalesce(item.get("type"), item.get("block_type"))
    return isinstance(item.get("text"), str) and (
        item.get("thought") is True or kind == "reasoning"
    )


def candidate_contents(candidates: list) -> list:
    """The contents of a response's ``candidates``."""
    return [c.get("content") if isinstance(c, dict) else None for c in candidates]


def system_instruction(config: Any) -> Any:
    """The system instruction of a request's ``config`` (its parts when it has them)."""
    if not isinstance(config, dict):
        return None
    instruction = coalesce(config.get("system_instruction"), config.get("systemInstruction"))
    if isinstance(instruction, dict) and "parts" in instruction:
        return instruction["parts"]
    return instruction


class UnnamedCalls:
    """Calls that carry no id, waiting for their responses: Gemini's pair by
    name, in order, each response answering the first unanswered call of its
    name. A queue per name keeps pairing linear in the calls (a search of
    every call before each response was quadratic)."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[dict]] = {}

    def add(self, call: dict) -> None:
        """Wait for the response to ``call``."""
        self._queues.setdefault(call["name"], deque()).append(call)

    def take(self, name: str | None) -> dict | None:
        """The first unanswered call named ``name``, taken from its queue."""
        queue = self._queues.get(name) if name is not None else None
        while queue:
            call = queue.popleft()
            if "result" not in call:
                return call
        return None
