"""Python port of src/trace/conversation/llamaindex.ts; kept equal by test_conversation_parity.py.

LlamaIndex's content blocks (``blocks`` of ``block_type``): images by URL or
inline bytes and thinking blocks. Its text blocks are read by the common
``text`` reader, its tool-call blocks by the ``tool_call`` reader of otel.py.
"""

from __future__ import annotations

from .anthropic import IMAGE_KEYS
from .parts import KnownPart, TypeReader, data_url, image_part, one, reasoning_part


def _image(item: dict) -> KnownPart:
    url = item.get("url")
    if not isinstance(url, str):
        url = data_url(item.get("image_mimetype"), item.get("image"))
    return one(image_part(url), *IMAGE_KEYS)


def _thinking(item: dict) -> KnownPart | None:
    content = item.get("content")
    return one(reasoning_part(content), "content") if isinstance(content, str) else None


#: Readers of LlamaIndex blocks, by ``block_type``; tried after Anthropic's.
LLAMAINDEX_TYPES: dict[str, TypeReader] = {"image": _image, "thinking": _thinking}
