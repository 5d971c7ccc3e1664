"""Sessions: traces sharing the metadata ``mlflow.trace.session`` read as one
conversation, one turn per trace in request-time order. The search filter that
finds a session's traces, and what each turn says (the user's message, the
assistant's answer). The twin of ``src/trace/session.ts``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._conversation import _unsafe_ints_as_strings as unsafe_ints_as_strings
from ._conversation import part_text, read_conversation, shown_parts
from ._js import js_trim, parse_json
from ._model import parse_duration_ms

#: The trace metadata naming a trace's session.
SESSION_METADATA_KEY = "mlflow.trace.session"
#: The trace metadata naming the user of the application request.
USER_METADATA_KEY = "mlflow.trace.user"
#: A session's traces are read in request-time order.
SESSION_ORDER_BY = ("timestamp_ms ASC",)
#: Turns read at most; a longer session says it shows the first ones.
MAX_SESSION_TURNS = 500


def session_filter(session_id: Any) -> str:
    """MLflow's search filter for the traces of one session.

    MLflow 3.17.2 reads a quoted value literally (no escapes, ``''`` is not a
    quote), so a value holding ``'`` is written in double quotes, and one
    holding both quotes cannot be written at all: that is an error, never a
    filter matching something else.
    """
    if not isinstance(session_id, str) or session_id == "":
        got = "an empty string" if session_id == "" else type(session_id).__name__
        raise TypeError(f"a session id is a non-empty string (got {got})")
    has_single = "'" in session_id
    if has_single and '"' in session_id:
        raise TypeError(
            f"the session id {session_id!r} holds both ' and \", "
            "which MLflow's search filter cannot quote"
        )
    quote = '"' if has_single else "'"
    return f"metadata.`{SESSION_METADATA_KEY}` = {quote}{session_id}{quote}"


def _metadata_string(info: Any, key: str) -> str:
    metadata = info.get("trace_metadata") if isinstance(info, dict) else None
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return value if isinstance(value, str) else ""


def session_id_of(info: Any) -> str:
    """The session a trace belongs to (a REST TraceInfoV3 dict); '' when none."""
    return _metadata_string(info, SESSION_METADATA_KEY)


def user_id_of(info: Any) -> str:
    """The user a trace served; '' when not recorded."""
    return _metadata_string(info, USER_METADATA_KEY)


def turn_text(preview: Any, role: str) -> str:
    """What one side of a turn says: the text of the last ``role`` message when
    the preview is a chat payload the conversation readers know, else the
    preview as written (a preview cut at MLflow's length limit is not JSON)."""
    if not isinstance(preview, str):
        return ""
    if js_trim(preview)[:1] not in ("{", "["):
        return preview
    try:
        value = unsafe_ints_as_strings(parse_json(preview))
    except ValueError:
        return preview
    conversation = read_conversation(value)
    messages = conversation["messages"] if conversation else []
    matching = [message for message in messages if message["roleKind"] == role]
    if not matching:
        return preview
    return "\n".join(part_text(part) for part in shown_parts(matching[-1]))


@dataclass
class SessionTurn:
    """One turn of a session: a trace, and what its user and assistant said."""

    trace_id: str
    #: Unix ms of the request; None when the info has none.
    request_time_ms: float | None
    duration_ms: float | None
    state: str
    user: str
    assistant: str
    info: dict


def _request_time_ms(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).timestamp() * 1000
    except (ValueError, OverflowError, OSError):
        return None


def to_session_turn(info: dict) -> SessionTurn:
    """A REST TraceInfoV3 dict as a turn."""
    trace_id, state = info.get("trace_id"), info.get("state")
    return SessionTurn(
        trace_id=trace_id if isinstance(trace_id, str) else "",
        request_time_ms=_request_time_ms(info.get("request_time")),
        duration_ms=parse_duration_ms(info.get("execution_duration")),
        state=state if isinstance(state, str) else "STATE_UNSPECIFIED",
        user=turn_text(info.get("request_preview"), "user"),
        assistant=turn_text(info.get("response_preview"), "assistant"),
        info=info,
    )


def session_order(infos: list[dict]) -> list[int]:
    """The indices of ``infos`` in request-time order: the order of a session's
    turns. A trace without a request time goes last; equal times keep the
    order given (a stable sort)."""
    times = [_request_time_ms(info.get("request_time")) for info in infos]
    return sorted(range(len(infos)), key=lambda i: math.inf if times[i] is None else times[i])


def session_turns(infos: list[dict]) -> list[SessionTurn]:
    """The turns of a session, in ``session_order``."""
    return [to_session_turn(infos[i]) for i in session_order(infos)]
