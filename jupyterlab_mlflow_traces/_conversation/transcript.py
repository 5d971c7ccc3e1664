"""Python port of src/trace/conversation/transcript.ts; kept equal by test_conversation_parity.py.

A conversation as plain text: what the trace comparison diffs and the
static fallbacks write. Pure; the live view renders the parts themselves.
"""

from __future__ import annotations

import re

from .._format import format_count
from .._js import js_trim, u16_len


def shown_parts(message: dict) -> list[dict]:
    """Parts shown in place: a result tied to its call is shown under the call."""
    return [p for p in message["parts"] if not (p["kind"] == "toolResult" and p.get("linked"))]


def shown_messages(messages: list[dict]) -> list[dict]:
    """Messages shown: not one whose every part is shown under its call."""
    return [m for m in messages if len(m["parts"]) == 0 or len(shown_parts(m)) > 0]


_DATA_URL_TYPE = re.compile(r"data:([^;,]*)")
# JavaScript's multiline `^` starts a line after \n, \r, \u2028 and \u2029
_LINE_END = re.compile("([\n\r\u2028\u2029])")


def image_label(url: str) -> str:
    """An image as text: an http(s) URL as written; a data URL by its media type
    and length, since its bytes say nothing to a reader."""
    if not url.startswith("data:"):
        return url
    match = _DATA_URL_TYPE.match(url)
    media_type = (match.group(1) if match else "") or "data"
    return f"{media_type}, {format_count(u16_len(url))} characters"


def tool_result_label(result: dict) -> str:
    """What a tool result is called: ``result of get_weather``, else ``tool result``."""
    of = result.get("name", result.get("callId"))
    return f"result of {of}" if of is not None else "tool result"


def call_text(call: dict) -> str:
    """A tool call alone, without its result: ``[tool call] get_weather (call_1) {…}``."""
    call_id = f" ({call['id']})" if "id" in call else ""
    return f"[tool call] {call['name']}{call_id} {call['arguments']}"


def part_text(part: dict) -> str:
    """One part as text: ``[tool call] get_weather (call_1) {"city":"Paris"}``,
    with a tied result on the next line, ``[reasoning] …``, ``[image] …``."""
    kind = part["kind"]
    if kind == "text":
        heading = part.get("heading")
        return f"## {heading}\n{js_trim(part['text'])}" if heading is not None else part["text"]
    if kind == "image":
        return f"[image] {image_label(part['url'])}"
    if kind == "reasoning":
        return f"[reasoning] {part['text']}"
    if kind == "note":
        return f"[note] {part['text']}"
    if kind == "toolCall":
        call = call_text(part)
        return f"{call}\n{part_text(part['result'])}" if "result" in part else call
    return f"[{tool_result_label(part)}] {part['text']}"


def _indent(text: str) -> str:
    """``text.replace(/^/gm, '  ')``."""
    return "  " + _LINE_END.sub(r"\1  ", text)


def group_suffix(message: dict) -> str:
    """What follows a message's role: `` · choice 1 of 2`` for one of several, else nothing."""
    return f" · {message['group']}" if "group" in message else ""


def conversation_text(messages: list[dict]) -> str:
    """Messages as text, one block per message: ``role:`` (with its
    ``group_suffix``) then each shown part, indented, so a line diff of two
    conversations lines up by message."""
    return "\n".join(
        "\n".join(
            [
                f"{message['role']}{group_suffix(message)}:",
                *(_indent(part_text(p)) for p in shown_parts(message)),
            ]
        )
        for message in shown_messages(messages)
    )
