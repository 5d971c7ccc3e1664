"""The conversations of a trace in its static text/html fallback.

Python port of ``src/bundle/chatfallback.ts``; both emitters are checked
against the goldens in ``contract/goldens``. Each model call the
conversation reader reads as a chat: its input and output messages by role,
tool calls with their results, reasoning folded, images as links.
"""

from __future__ import annotations

from typing import Any

from ._conversation import is_model_call, span_conversation_of_raw
from ._conversation.transcript import (
    call_text,
    group_suffix,
    part_text,
    shown_messages,
    shown_parts,
)
from ._format import one_line, plural, write_span_label
from ._html import CLS, HtmlWriter
from ._js import ellipsize
from ._model import Node

#: Spans whose conversation is written, per trace.
MAX_CONVERSATIONS = 10
_MAX_MESSAGES = 50
_MAX_PART_CHARS = 2000
_MAX_ROLE_CHARS = 40


def _write_part(w: HtmlWriter, part: dict) -> None:
    """One part, cut on its own; a call's result in a part of its own, so no cut hides it."""
    kind = part["kind"]
    if kind == "reasoning":
        w.open("details").element("summary", None, "Reasoning")
        w.element("div", CLS["part"], ellipsize(part["text"], _MAX_PART_CHARS)).close()
    elif kind == "image" and not part["url"].startswith("data:"):
        w.open("div", CLS["part"]).text("[image] ")
        w.link(part["url"], ellipsize(part["url"], _MAX_PART_CHARS)).close()
    elif kind == "toolCall":
        w.element("div", CLS["part"], ellipsize(call_text(part), _MAX_PART_CHARS))
        if "result" in part:
            _write_part(w, part["result"])
    else:
        w.element("div", CLS["part"], ellipsize(part_text(part), _MAX_PART_CHARS))


def _write_message(w: HtmlWriter, message: dict) -> None:
    w.open("li", f"{CLS['chatMessage']} {CLS['role']}-{message['roleKind']}")
    role = ellipsize(one_line(message["role"]), _MAX_ROLE_CHARS)
    w.element("strong", None, role + group_suffix(message))
    for part in shown_parts(message):
        _write_part(w, part)
    w.close()


def _write_side(w: HtmlWriter, title: str, conversation: dict | None) -> None:
    if conversation is None:
        return
    messages = shown_messages(conversation["messages"])
    w.element("p", CLS["side"], f"{title} ({conversation['format']})")
    w.open("ul", CLS["messages"])
    for message in messages[:_MAX_MESSAGES]:
        _write_message(w, message)
    if len(messages) > _MAX_MESSAGES:
        w.element("li", CLS["more"], f"… {plural(len(messages) - _MAX_MESSAGES, 'more message')}")
    w.close()


def write_conversations(w: HtmlWriter, rows: list[Node], raw_spans: list[Any]) -> None:
    """The conversations of the model calls among ``rows`` that read as one,
    in tree order, at most ``MAX_CONVERSATIONS``, then how many model calls
    are left unread; nothing when none reads. ``raw_spans``: the span dicts
    the rows were built from."""
    raw_of = {node: raw_spans[node.span.index] for node in rows}
    calls = [
        node for node in rows if is_model_call(node.span.span_type, raw_of[node].get("attributes"))
    ]
    # Read only until enough are found: a trace may hold many long chats
    chats = []
    read = 0
    while read < len(calls) and len(chats) < MAX_CONVERSATIONS:
        chat = span_conversation_of_raw(raw_of[calls[read]])
        if chat["input"] is not None or chat["output"] is not None:
            chats.append((calls[read], chat))
        read += 1
    if not chats:
        return
    w.open("div", CLS["chats"])
    for node, chat in chats:
        w.open("div", CLS["chat"])
        w.open("p", CLS["header"])
        write_span_label(w, node.span)
        w.close()
        _write_side(w, "Inputs", chat["input"])
        _write_side(w, "Outputs", chat["output"])
        w.close()
    unread = len(calls) - read
    if unread > 0:
        w.element("p", CLS["more"], f"… {plural(unread, 'more model call')} not written")
    w.close()
