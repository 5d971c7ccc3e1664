"""Python port of src/trace/conversation/langchain.ts; kept equal by test_conversation_parity.py.

LangChain's messages: keyed by ``type`` (human, ai, system, tool), possibly
serialized (``{lc, kwargs}``) or dumped by ``message_to_dict``
(``{type, data}``); tool calls and reasoning in ``additional_kwargs``;
replies in ``generations``.
"""

from __future__ import annotations

from typing import Any

from .openai import tool_calls_of
from .parts import tool_result
from .strings import leftovers

_LANGCHAIN_TYPES = frozenset(
    {"human", "ai", "system", "tool", "chat", "function", "AIMessageChunk"}
)


def _role_of(message: dict) -> str | None:
    """The role of a message: its ``role``, or the LangChain ``type`` naming one."""
    role = message.get("role")
    if isinstance(role, str):
        return role
    kind = message.get("type")
    if isinstance(kind, str) and kind in _LANGCHAIN_TYPES:
        return "ai" if kind == "AIMessageChunk" else kind
    return None


def unwrap_message(value: Any) -> tuple[dict, str] | None:
    """The message a value holds and its role, or None when it has no role;
    LangChain's serialized ``{lc, kwargs}`` and ``{type, data}`` forms unwrapped."""
    current = value
    # One `data` level per turn, with no recursion, however deep it nests.
    while isinstance(current, dict):
        kwargs = current.get("kwargs")
        message = kwargs if isinstance(kwargs, dict) and "lc" in current else current
        role = _role_of(message)
        if role is not None:
            return message, role
        data = current.get("data")
        kind = current.get("type")
        if not isinstance(data, dict) or not isinstance(kind, str) or kind not in _LANGCHAIN_TYPES:
            return None
        current = {**data, "type": kind}
    return None


def apply_additional_kwargs(message: dict, parts: list[dict]) -> list[dict]:
    """A message's ``additional_kwargs`` applied to the parts read so far (in
    place): its tool calls when the message lists none, its reasoning first,
    and a ``tool_call_id`` making the text that call's result. Gives the
    text parts of its other keys, which go after the message's own."""
    extra = message.get("additional_kwargs")
    if not isinstance(extra, dict):
        extra = {}
    calls = message.get("tool_calls")
    if not isinstance(calls, list) or len(calls) == 0:
        parts.extend(tool_calls_of(extra.get("tool_calls")))
    if isinstance(extra.get("reasoning_content"), str):
        parts.insert(0, {"kind": "reasoning", "text": extra["reasoning_content"]})
    if isinstance(extra.get("tool_call_id"), str) and not isinstance(
        message.get("tool_call_id"), str
    ):
        texts = [p["text"] for p in parts if p["kind"] == "text"]
        kept = [p for p in parts if p["kind"] != "text"]
        parts[:] = [*kept, tool_result(extra["tool_call_id"], extra.get("name"), "\n".join(texts))]
    return leftovers(extra, ("tool_calls", "reasoning_content", "tool_call_id", "name"))


def _generation_group(i: int, n: int, j: int, m: int) -> str | None:
    """The label of generation ``j`` of ``m`` answering prompt ``i`` of ``n``, if any."""
    labels = [f"conversation {i + 1} of {n}"] if n > 1 else []
    if m > 1:
        labels.append(f"choice {j + 1} of {m}")
    return ", ".join(labels) if labels else None


def generation_messages(generations: list) -> tuple[list, list[str | None]]:
    """The messages of ``generations`` (one prompt's list, or a list per
    prompt), and the group of each: ``conversation i of n`` for the prompt
    it answers when there are several (as a batch's inputs are labelled),
    then ``choice j of m`` when that prompt has several generations."""
    if any(isinstance(g, list) for g in generations):
        prompts = [g if isinstance(g, list) else [g] for g in generations]
    else:
        prompts = [generations]
    messages: list = []
    groups: list[str | None] = []
    for i, generation_list in enumerate(prompts):
        for j, g in enumerate(generation_list):
            if not isinstance(g, dict):
                messages.append(None)
            elif g.get("message") is not None:
                messages.append(g["message"])
            else:
                # {type: 'ai', content: g.text}: content undefined (absent) without text
                messages.append(
                    {"type": "ai", "content": g["text"]} if "text" in g else {"type": "ai"}
                )
            groups.append(_generation_group(i, len(prompts), j, len(generation_list)))
    return messages, groups
