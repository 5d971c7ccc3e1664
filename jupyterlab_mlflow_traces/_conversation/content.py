"""Python port of src/trace/conversation/content.ts; kept equal by test_conversation_parity.py.

A message's content (a string, one item, or a list of items, nested lists
flattened) read into parts, each item by the reader of its ``type`` or, when
untyped, of the key holding it. Strings under keys no reader read become
text parts.
"""

from __future__ import annotations

from typing import Any

from .anthropic import ANTHROPIC_TYPES
from .bedrock import BEDROCK_KEYS
from .gemini import GEMINI_KEYS, is_thought_text
from .llamaindex import LLAMAINDEX_TYPES
from .openai import OPENAI_TYPES
from .otel import OTEL_TYPES
from .parts import KeyReader, KnownPart, TypeReader, one, reasoning_part, text_item, text_part
from .strings import coalesce, js_string, leftovers, nullish

# Readers of items by `type` (LlamaIndex: `block_type`), tried in this order.
_BY_TYPE: dict[str, list[TypeReader]] = {}
for _table in ({"text": text_item}, OPENAI_TYPES, ANTHROPIC_TYPES, LLAMAINDEX_TYPES, OTEL_TYPES):
    for _type, _read in _table.items():
        _BY_TYPE.setdefault(_type, []).append(_read)

# Readers of untyped items by the key holding them, tried in this order.
_BY_KEY: list[KeyReader] = [*GEMINI_KEYS, *BEDROCK_KEYS]


def known_part(item: dict) -> KnownPart | None:
    """The parts of one content item, whatever format wrote it, and the keys it read."""
    if is_thought_text(item):
        return one(reasoning_part(item["text"]), "text", "thought")
    kind = coalesce(item.get("type"), item.get("block_type"))
    for read in _BY_TYPE.get(kind, ()) if isinstance(kind, str) else ():
        typed = read(item)
        if typed is not None:
            return typed
    for keys, read_value in _BY_KEY:
        key = next((k for k in keys if isinstance(item.get(k), dict)), None)
        if key is not None:
            return KnownPart(read_value(item[key]), keys)
    return one(text_part(item["text"]), "text") if isinstance(item.get("text"), str) else None


def content_parts(content: Any) -> list[dict]:
    """The parts of a message's content: a string, one item, or a list of items."""
    if nullish(content):
        return []
    if isinstance(content, str):
        return [] if content == "" else [text_part(content)]
    parts: list[dict] = []
    # Items still to read, the next on top; a nested list is opened in place.
    stack = content[::-1] if isinstance(content, list) else [content]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item != "":
                parts.append(text_part(item))
        elif isinstance(item, dict):
            known = known_part(item)
            if known is not None:
                parts.extend(known.parts)
                parts.extend(leftovers(item, known.used))
            else:
                parts.extend(leftovers(item, ()))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif not nullish(item):
            parts.append(text_part(js_string(item)))
    return parts
