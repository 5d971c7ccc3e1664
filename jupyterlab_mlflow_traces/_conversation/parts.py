"""Python port of src/trace/conversation/parts.ts; kept equal by test_conversation_parity.py.

Builders of message parts, the shapes of the content-item readers, and the
rule of which image URLs a view may load: http(s) or a base64
``data:image/…`` URL; any other becomes a note and is never loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .._js import js_trim
from .._url import safe_http_url
from .strings import nullish, result_text, value_text


class KnownPart(NamedTuple):
    """What a reader made of a content item, and the keys it read."""

    parts: list[dict]
    used: list[str]


#: A reader of content items of one ``type``; None when the item is not its shape.
TypeReader = Callable[[dict], "KnownPart | None"]

#: A reader of the record an untyped item holds under one of ``keys``.
KeyReader = tuple[list[str], Callable[[dict], list[dict]]]

# fullmatch: JavaScript's `$` does not match before a final newline
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,[A-Za-z0-9+/=]+")


def is_loadable_image_url(url: Any) -> bool:
    """Whether a view may load this image URL: http(s) or a base64 data:image."""
    return (
        isinstance(url, str)
        and js_trim(url) == url
        and (_DATA_IMAGE.fullmatch(url) is not None or safe_http_url(url) is not None)
    )


def image_part(url: Any) -> dict:
    """An image part when the URL may be loaded, else a note; never loads others."""
    if isinstance(url, str):
        if is_loadable_image_url(url):
            return {"kind": "image", "url": url}
        return {"kind": "note", "text": f"image not shown: {url}"}
    return {"kind": "note", "text": "image not shown"}


def data_url(mime: Any, data: Any) -> str | None:
    """A data URL from a MIME type and base64 data; a reference such as the
    ``mlflow-attachment://…`` MLflow stores in place of the bytes stays as it is."""
    if not isinstance(data, str):
        return None
    if "://" in data:
        return data
    return f"data:{mime if isinstance(mime, str) else 'image/png'};base64,{data}"


def tool_call(call_id: Any, name: Any, args: Any) -> dict:
    """A tool call part; an empty id counts as none (no ``id`` key)."""
    part: dict = {"kind": "toolCall"}
    if isinstance(call_id, str) and call_id != "":
        part["id"] = call_id
    part["name"] = value_text("" if nullish(name) else name)
    part["arguments"] = value_text({} if nullish(args) else args)
    return part


def tool_result(call_id: Any, name: Any, content: Any) -> dict:
    """A tool result part; an empty call id counts as none (no ``callId`` key)."""
    part: dict = {"kind": "toolResult"}
    if isinstance(call_id, str) and call_id != "":
        part["callId"] = call_id
    if isinstance(name, str):
        part["name"] = name
    part["text"] = result_text(content)
    return part


def text_part(value: str) -> dict:
    """A text part."""
    return {"kind": "text", "text": value}


def reasoning_part(value: str) -> dict:
    """A reasoning part."""
    return {"kind": "reasoning", "text": value}


def one(part: dict, *used: str) -> KnownPart:
    """One part read from an item, and the item keys it read."""
    return KnownPart([part], list(used))


def text_item(item: dict) -> KnownPart | None:
    """``{type: "text", text}``; OpenTelemetry GenAI writes ``{type: "text", content}``."""
    if isinstance(item.get("text"), str):
        return one(text_part(item["text"]), "text")
    return (
        one(text_part(item["content"]), "content") if isinstance(item.get("content"), str) else None
    )
