"""Python port of src/trace/conversation/bedrock.ts; kept equal by test_conversation_parity.py.

Bedrock Converse content blocks, which carry no ``type``: toolUse,
toolResult, reasoningContent (shown folded) and image bytes. Text blocks
are read by the common reader; the reply sits in ``output.message``.
"""

from __future__ import annotations

from typing import Any

from .parts import KeyReader, data_url, image_part, reasoning_part, tool_call, tool_result
from .strings import UNDEFINED, strings_in, value_text


def _image(v: dict) -> list[dict]:
    source = v.get("source")
    data = source.get("bytes") if isinstance(source, dict) else None
    return [image_part(data_url(f"image/{value_text(v.get('format', UNDEFINED))}", data))]


#: Readers of Bedrock Converse blocks, by the key holding them.
BEDROCK_KEYS: list[KeyReader] = [
    (["toolUse"], lambda v: [tool_call(v.get("toolUseId"), v.get("name"), v.get("input"))]),
    (
        ["toolResult"],
        lambda v: [tool_result(v.get("toolUseId"), None, v.get("content", UNDEFINED))],
    ),
    (["reasoningContent"], lambda v: [reasoning_part(text) for text in strings_in(v, True)]),
    (["image"], _image),
]


def converse_reply(value: dict) -> Any:
    """The reply message of a Converse response (``output.message``), if any."""
    output = value.get("output")
    if isinstance(output, dict) and isinstance(output.get("message"), dict):
        return output["message"]
    return None
