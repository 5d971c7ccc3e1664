"""Python port of src/trace/conversation/types.ts; kept equal by test_conversation_parity.py.

The conversation a chat span's inputs and outputs are read into: messages
with a role and parts (text, image, reasoning, tool call, tool result,
note). Types only: the values are plain dicts with the TypeScript keys, in
the TypeScript order, so both emitters write the same JSON. A key of a
``total=False`` class is absent where TypeScript leaves it ``undefined``.
"""

from __future__ import annotations

from typing import Literal, TypedDict

#: The formats read, as ``mlflow.message.format`` names most of them.
ChatFormat = Literal[
    "openai",
    "openai-responses",
    "anthropic",
    "gemini",
    "bedrock",
    "langchain",
    "llamaindex",
    "dspy",
    "otel-genai",
    "mlflow-chat",
]

#: The roles a view styles; any other role is ``other`` (its text kept in ``role``).
RoleKind = Literal["user", "assistant", "system", "tool", "other"]


class _Text(TypedDict):
    kind: Literal["text"]
    text: str


class TextPart(_Text, total=False):
    """A piece of text; ``heading`` (written before ``text``) names a DSPy section."""

    heading: str


class ImagePart(TypedDict):
    """An image whose URL is http(s) or a data:image URL."""

    kind: Literal["image"]
    url: str


class ReasoningPart(TypedDict):
    """Reasoning or thinking text, shown folded."""

    kind: Literal["reasoning"]
    text: str


class _ToolResult(TypedDict):
    kind: Literal["toolResult"]
    text: str


class ToolResultPart(_ToolResult, total=False):
    """What a tool returned; ``linked`` when it is also its call's ``result``."""

    callId: str
    name: str
    linked: bool


class _ToolCall(TypedDict):
    kind: Literal["toolCall"]
    name: str
    arguments: str


class ToolCallPart(_ToolCall, total=False):
    """A call of a tool; ``result`` is its result (the same dict) when the span holds it."""

    id: str
    result: ToolResultPart


class NotePart(TypedDict):
    """Something not shown, and why (an image URL that is not allowed)."""

    kind: Literal["note"]
    text: str


#: One part of a message.
MessagePart = TextPart | ImagePart | ReasoningPart | ToolCallPart | ToolResultPart | NotePart


class _ChatMessage(TypedDict):
    role: str
    roleKind: RoleKind
    parts: list[MessagePart]


class ChatMessage(_ChatMessage, total=False):
    """One message of a conversation. ``group`` says which of several it
    belongs to, when a side holds alternatives or a batch: ``choice 2 of 3``
    (OpenAI ``n > 1``), ``candidate 1 of 2`` (Gemini), ``conversation 1 of
    2`` (a LangChain batch of message lists, and the generations answering
    each), ``conversation 1 of 2, choice 2 of 3`` (one of several
    generations answering one prompt of a batch)."""

    group: str


class ChatTool(TypedDict):
    """A tool the model was offered."""

    name: str
    description: str


class Conversation(TypedDict):
    """One side (inputs or outputs) of a chat span, read."""

    format: ChatFormat
    messages: list[ChatMessage]


class SpanConversation(TypedDict):
    """A chat span read: its input and output conversations and offered tools."""

    input: Conversation | None
    output: Conversation | None
    tools: list[ChatTool]
