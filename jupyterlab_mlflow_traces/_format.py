"""Display text of durations, counts, costs and the UTC clock, as
``src/trace/format.ts`` and ``live.ts``, and the span label and live note the
fallbacks write, as ``src/bundle/format.ts``.

Locale-independent, so a fallback is the same bytes on every machine and
from either emitter.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from ._html import CLS, HtmlWriter
from ._js import ellipsize, is_number, js_round, number_text, to_precision_number

_THOUSANDS = re.compile(r"\B(?=(\d{3})+(?!\d))", re.ASCII)


#: Longest trace or span name shown, in UTF-16 code units.
MAX_NAME_CHARS = 120
#: Longest span type shown, in UTF-16 code units.
MAX_TYPE_CHARS = 40


def format_count(count: float) -> str:
    """An integer with comma thousands separators, e.g. "12,345"; rounds fractions."""
    if not math.isfinite(count):
        return number_text(count)
    rounded = js_round(abs(count))
    sign = "-" if count < 0 and rounded != 0 else ""
    return sign + _THOUSANDS.sub(",", number_text(rounded))


def format_duration_ms(duration_ms: float | None) -> str:
    """A duration scaled to its size: "812 µs", "24.4 ms", "3.21 s", "2 min 5 s"."""
    if duration_ms is None or not math.isfinite(duration_ms):
        return "–"
    sign = "-" if duration_ms < 0 else ""
    abs_ms = abs(duration_ms)
    micros = js_round(abs_ms * 1000)
    if micros < 1000:
        return f"{sign}{number_text(micros)} µs"
    millis = to_precision_number(abs_ms, 3)
    if millis < 1000:
        return f"{sign}{number_text(millis)} ms"
    seconds = to_precision_number(abs_ms / 1000, 3)
    if seconds < 60:
        return f"{sign}{number_text(seconds)} s"
    whole_seconds = js_round(abs_ms / 1000)
    minutes = math.floor(whole_seconds / 60)
    return f"{sign}{number_text(float(minutes))} min {number_text(math.fmod(whole_seconds, 60))} s"


def format_usd(usd: Any) -> str:
    """A cost in US dollars: cents from $1 up ("$1,234.50"), three significant
    digits below ("$0.0123", "$0.000150"); '–' when unknown."""
    if not is_number(usd) or not math.isfinite(usd):
        return "–"
    small = to_precision_number(abs(usd), 3)
    sign = "-" if usd < 0 and small != 0 else ""
    if small < 1:
        # Fixed notation, never "1.5e-7"; digits enough for three significant ones
        decimals = 2 if small == 0 else min(2 - Decimal(repr(small)).adjusted(), 20)
        return f"{sign}${small:.{decimals}f}"
    cents = js_round(abs(usd) * 100)
    dollars = format_count(math.floor(cents / 100))
    return f"{sign}${dollars}.{number_text(math.fmod(cents, 100)).zfill(2)}"


def one_line(text: str) -> str:
    """Control characters (newlines included) replaced, so text stays on one line."""
    return "".join(" " if ord(char) < 0x20 or char in "\x7f\u2028\u2029" else char for char in text)


def plural(count: float, word: str) -> str:
    """``n word`` or ``n words``."""
    return f"{format_count(count)} {word}{'' if count == 1 else 's'}"


def write_span_label(w: HtmlWriter, span: Any) -> None:
    """A span's type and name, as the tree's rows and the conversations head them."""
    w.element("span", CLS["type"], ellipsize(one_line(span.span_type), MAX_TYPE_CHARS))
    w.text(" ")
    w.element("span", CLS["name"], ellipsize(span.name, MAX_NAME_CHARS))


def format_clock_utc(unix_ms: float) -> str:
    """A Unix time in ms as a UTC wall clock, "HH:MM:SS" ('–' when not finite)."""
    if not math.isfinite(unix_ms):
        return "–"
    of_day = (math.trunc(unix_ms) // 1000) % 86400
    return f"{of_day // 3600:02d}:{of_day % 3600 // 60:02d}:{of_day % 60:02d}"


def live_stopped_at_ms(live: dict) -> float:
    """The Unix ms a reader names for a trace that stopped: the cut, or the last update."""
    cut = live.get("interrupted_at_unix_nano")
    if live["status"] == "interrupted" and cut is not None:
        return cut / 1e6
    return live["updated_unix_ms"]


def live_note(running_count: int, live: dict) -> str:
    """What a live trace's fallback says of it (read only after the cell ran):
    ``stopped updating at 12:03:04 UTC, 2 spans running`` or ``interrupted at
    12:03:04 UTC (KeyboardInterrupt), 2 spans cut off``, then how many ended
    spans the update left out, if any."""
    at = f"{format_clock_utc(live_stopped_at_ms(live))} UTC"
    if live["status"] == "interrupted":
        reason = live.get("reason")
        shown = f" ({one_line(ellipsize(reason, MAX_NAME_CHARS))})" if reason else ""
        parts = [f"interrupted at {at}{shown}", f"{plural(running_count, 'span')} cut off"]
    else:
        parts = [f"stopped updating at {at}", f"{plural(running_count, 'span')} running"]
    if live.get("spans_omitted"):
        parts.append(f"{plural(live['spans_omitted'], 'ended span')} left out")
    return ", ".join(parts)


def open_span_status(live: dict | None) -> str:
    """The status a fallback row shows for a span with no end: by the trace's live status."""
    if live is None:
        return "IN PROGRESS"
    return "CUT OFF" if live["status"] == "interrupted" else "RUNNING"
