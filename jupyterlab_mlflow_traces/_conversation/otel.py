"""Python port of src/trace/conversation/otel.ts; kept equal by test_conversation_parity.py.

OpenTelemetry GenAI semantic conventions (``role`` + ``parts``: tool_call and
tool_call_response parts; text parts are read by the common ``text``
reader) and the tools MLflow lists in the ``mlflow.chat.tools`` attribute.
"""

from __future__ import annotations

from typing import Any

from .parts import KnownPart, TypeReader, one, tool_call, tool_result
from .strings import UNDEFINED, coalesce, value_text


def _tool_call(item: dict) -> KnownPart:
    """OpenTelemetry GenAI ``{id, name, arguments}``; LlamaIndex
    ``{tool_call_id, tool_name, tool_kwargs}``."""
    call = tool_call(
        coalesce(item.get("id"), item.get("tool_call_id")),
        coalesce(item.get("name"), item.get("tool_name")),
        coalesce(item.get("arguments"), item.get("tool_kwargs")),
    )
    return one(call, "tool_call_id", "name", "tool_name", "arguments", "tool_kwargs")


def _tool_call_response(item: dict) -> KnownPart:
    content = coalesce(item.get("response"), item.get("result", UNDEFINED))
    return one(tool_result(item.get("id"), None, content), "response", "result")


#: Readers of OpenTelemetry GenAI parts, by ``type``.
OTEL_TYPES: dict[str, TypeReader] = {
    "tool_call": _tool_call,
    "tool_call_response": _tool_call_response,
}


def chat_tools(value: Any) -> list[dict]:
    """Tools offered, from ``mlflow.chat.tools`` (OpenAI's ``{type, function}`` or bare)."""
    if not isinstance(value, list):
        return []
    tools = []
    for tool in value:
        if isinstance(tool, dict):
            fn = tool["function"] if isinstance(tool.get("function"), dict) else tool
            name = fn.get("name")
            description = fn.get("description")
            tools.append(
                {
                    "name": value_text("" if name is None else name),
                    "description": description if isinstance(description, str) else "",
                }
            )
    return tools
