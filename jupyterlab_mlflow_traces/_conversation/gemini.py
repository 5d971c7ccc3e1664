"""Python port of src/trace/conversation/gemini.ts; kept equal by test_conversation_parity.py.

Gemini's parts, which carry no ``type``: function calls and responses,
inline and file data, and ``thought`` text (shown folded); its candidates
and system instruction. Google ADK writes the same shapes. The ``contents``
list is read in turns.py.
"""

from __future__ import annotations

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
