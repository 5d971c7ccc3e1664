"""The conversations of a trace in its static text/html fallback.

Python port of ``src/bundle/chatfallback.ts``; both emitters are checked
against the goldens in ``contract/goldens``. Each model call the
conversation reader reads as a chat: its input and output messages by role,
tool calls with their results, reasoning folded, images as links.
"""

from __future__ import annotations

from typing import Any

from ._conversation import is_model_call, span_conversation_of_raw
from ._conversation.transcript import part_text, shown_messages, shown_parts
from ._format import MAX_NAME_CHARS, one_line, plural
from ._html import CLS, HtmlWriter
from ._js import ellipsize
from ._model import _MISSING, Node, decode_attribute

#: Spans whose conversation is written, per trace.
MAX_CONVERSATIONS = 10
_MAX_MESSAGES = 50
_MAX_PART_CHARS = 2000
_MAX_ROLE_CHARS = 40
_CHAT_ATTRIBUTES = ("mlflow.message.format", "mlflow.chat.messages")


def _write_message(w: HtmlWriter, message: dict) -> None:
    w.open("li", f"{CLS['chatMessage']} {CLS['role']}-{message['roleKind']}")
    w.element("strong", None, ellipsize(one_line(message["role"]), _MAX_ROLE_CHARS))
    for part in shown_parts(message):
        if part["kind"] == "reasoning":
            w.open("details").element("summary", None, "Reasoning")
            w.element("div", CLS["part"], ellipsize(part["text"], _MAX_PART_CHARS))
            w.close()
        elif part["kind"] == "image" and not part["url"].startswith("data:"):
            w.open("div", CLS["part"]).text("[image] ")
            w.link(part["url"], ellipsize(part["url"], _MAX_PART_CHARS)).close()
        else:
            w.element("div", CLS["part"], ellipsize(part_text(part), _MAX_PART_CHARS))
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


def _conversation_of(node: Node, raw_spans: list[Any]) -> dict | None:
    """The conversation of a model call that reads as one, else None."""
    raw = raw_spans[node.span.index]
    attributes = raw.get("attributes")
    present = {
        key: True for key in _CHAT_ATTRIBUTES if decode_attribute(attributes, key) is not _MISSING
    }
    if not is_model_call(node.span.span_type, present):
        return None
    chat = span_conversation_of_raw(raw)
    return chat if chat["input"] is not None or chat["output"] is not None else None


def write_conversations(w: HtmlWriter, rows: list[Node], raw_spans: list[Any]) -> None:
    """The conversations of the model calls among ``rows`` that read as one,
    in tree order, at most ``MAX_CONVERSATIONS``; nothing when none does.
    ``raw_spans``: the span dicts the rows were built from."""
    chats = [(node, chat) for node in rows if (chat := _conversation_of(node, raw_spans))]
    if not chats:
        return
    w.open("div", CLS["chats"])
    for node, chat in chats[:MAX_CONVERSATIONS]:
        w.open("div", CLS["chat"])
        w.open("p", CLS["header"])
        w.element("span", CLS["type"], ellipsize(one_line(node.span.span_type), 40))
        w.text(" ")
        w.element("span", CLS["name"], ellipsize(node.span.name, MAX_NAME_CHARS))
        w.close()
        _write_side(w, "Inputs", chat["input"])
        _write_side(w, "Outputs", chat["output"])
        w.close()
    if len(chats) > MAX_CONVERSATIONS:
        hidden = len(chats) - MAX_CONVERSATIONS
        w.element("p", CLS["more"], f"… {plural(hidden, 'more span')} with a conversation")
    w.close()
