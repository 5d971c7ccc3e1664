"""The text/html and text/plain fallbacks of a session (a trace list whose
query names ``session_id``): the turns in request-time order, each the user's
message and the assistant's answer as escaped text. The twin of
``src/bundle/sessionfallback.ts``.
"""

from __future__ import annotations

from ._decode import Decoded
from ._format import format_duration_ms, format_usd, one_line, plural
from ._html import CLS, HtmlWriter
from ._js import ellipsize, json_string
from ._model import build_trace, summarize_trace
from ._session import SessionTurn, session_turns
from ._url import mlflow_trace_ui_url

#: Longest message written per side of a turn, in characters.
_MAX_MESSAGE_CHARS = 2000


def _turns_of(decoded: Decoded) -> list[SessionTurn]:
    """The turns of a decoded session list; error rows are the decoder's errors."""
    return session_turns(
        [row.info for row in decoded.traces if row.info is not None and row.error is None]
    )


def session_caption(decoded: Decoded) -> str:
    """``MLflow session "s": the first 500 turns; experiments 1; more available``."""
    session_id = json_string(ellipsize(decoded.session_id or "", 200))
    more = decoded.next_page_token is not None
    parts = [("the first " if more else "") + plural(len(_turns_of(decoded)), "turn")]
    if decoded.experiment_ids:
        parts.append(f"experiments {', '.join(decoded.experiment_ids)}")
    if more:
        parts.append("more available")
    return f"MLflow session {session_id}: {'; '.join(parts)}"


def _turn_facts(turn: SessionTurn) -> str:
    time = turn.info.get("request_time")
    time = time if isinstance(time, str) else ""
    duration = "" if turn.duration_ms is None else format_duration_ms(turn.duration_ms)
    # The cost as the list's fallback reads it: the trace metadata's, or why not
    summary = summarize_trace(build_trace(turn.info, []))
    cost = summary.cost_note or (format_usd(summary.cost.total) if summary.cost else "")
    parts = (one_line(time), one_line(turn.state), duration, one_line(cost))
    return " · ".join(part for part in parts if part)


def _write_side(w: HtmlWriter, role: str, text: str) -> None:
    w.open("li", f"{CLS['chatMessage']} {CLS['role']}-{role}")
    w.element("strong", None, role)
    w.element("div", CLS["part"], ellipsize(text, _MAX_MESSAGE_CHARS))
    w.close()


def write_session_turns(w: HtmlWriter, decoded: Decoded, max_turns: int) -> None:
    """The text/html of a session's turns (at most ``max_turns``), each its two messages."""
    turns = _turns_of(decoded)
    for i, turn in enumerate(turns[:max_turns]):
        error = turn.state == "ERROR"
        w.open("div", f"{CLS['chat']} {CLS['error']}" if error else CLS["chat"])
        w.open("p", CLS["side"]).element("strong", None, f"Turn {i + 1}")
        w.text(" ").element("code", None, turn.trace_id)
        url = mlflow_trace_ui_url(decoded.tracking_uri, turn.trace_id, turn.info)
        if url is not None:
            w.text(" ").link(url, "Open in MLflow UI")
        w.text(f" {_turn_facts(turn)}").close()
        w.open("ul", CLS["messages"])
        _write_side(w, "user", turn.user)
        _write_side(w, "assistant", turn.assistant)
        w.close().close()
    hidden = len(turns) - max_turns
    if hidden > 0:
        w.element("p", CLS["more"], f"… {plural(hidden, 'more turn')}")


def session_text_lines(decoded: Decoded) -> list[str]:
    """The text/plain lines of a session: a caption, then three lines a turn."""
    lines = [session_caption(decoded)]
    for i, turn in enumerate(_turns_of(decoded)):
        lines.append(f"Turn {i + 1} {one_line(turn.trace_id)} {_turn_facts(turn)}")
        lines.append(f"  user: {ellipsize(one_line(turn.user), _MAX_MESSAGE_CHARS)}")
        lines.append(f"  assistant: {ellipsize(one_line(turn.assistant), _MAX_MESSAGE_CHARS)}")
    return lines
