"""JavaScript value semantics the fallbacks depend on, in pure Python.

The text/html and text/plain fallbacks must be the same bytes whichever
emitter wrote them, so the few places where JavaScript and Python disagree
are written out here once: string lengths in UTF-16 code units, number
printing (``String(x)``, ``toPrecision``), ``Number(string)``,
``Math.round``, ``JSON.stringify`` and ``JSON.parse``.
"""

from __future__ import annotations

import json
import math
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: Characters ``String.prototype.trim`` and the regex ``\\s`` treat as white space.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

# A surrogate first, so the regex engine skips to the next one quickly; then
# lone: a high one not before a low one, a low one not after a high one.
_LONE_SURROGATE = re.compile(
    "[\ud800-\udfff](?:(?<=[\ud800-\udbff])(?![\udc00-\udfff])"
    "|(?<=[\udc00-\udfff])(?<![\ud800-\udbff][\udc00-\udfff]))"
)
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_RADIX = {"x": (16, "0123456789abcdefABCDEF"), "o": (8, "01234567"), "b": (2, "01")}
_ENCODE_STRING = json.encoder.encode_basestring
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
_MAX_ARRAY_INDEX = 2**32 - 2


def is_number(value: Any) -> bool:
    """``typeof value === 'number'``: ints and floats, never bools."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def js_trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(JS_WHITESPACE)


def u16_len(text: str) -> int:
    """``text.length``: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def u16_slice(text: str, end: int) -> str:
    """``text.slice(0, end)``, which may leave half of a surrogate pair."""
    if end >= u16_len(text):
        return text
    units = text.encode("utf-16-le", "surrogatepass")[: 2 * max(0, end)]
    return units.decode("utf-16-le", "surrogatepass")


def cut_string(text: str, max_chars: int) -> str:
    """At most ``max_chars`` UTF-16 code units, never ending inside a surrogate pair."""
    if u16_len(text) <= max_chars:
        return text
    kept = u16_slice(text, max(0, max_chars))
    if kept and "\ud800" <= kept[-1] <= "\udbff":
        kept = kept[:-1]
    return kept


def ellipsize(text: str, max_chars: int) -> str:
    """The text cut to ``max_chars`` units with a trailing ellipsis when it was longer."""
    return text if u16_len(text) <= max_chars else cut_string(text, max_chars - 1) + "…"


def well_formed(text: str) -> str:
    """``String.prototype.toWellFormed``: each lone surrogate becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _has_surrogate(text) else text


def js_number(text: str) -> float:
    """``Number(text)`` for a string (NaN when it is not a number)."""
    body = js_trim(text)
    if body == "":
        return 0.0
    if len(body) > 2 and body[0] == "0" and body[1].lower() in _RADIX:
        base, digits = _RADIX[body[1].lower()]
        if all(char in digits for char in body[2:]):
            return float(int(body[2:], base))
        return math.nan
    if _DECIMAL.fullmatch(body):
        return float(body.replace("Infinity", "inf"))
    return math.nan


def js_round(value: float) -> float:
    """``Math.round``: halves go towards +Infinity."""
    if not math.isfinite(value):
        return value
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def to_precision_number(value: float, digits: int) -> float:
    """``Number(value.toPrecision(digits))`` for a finite value."""
    if value == 0:
        return 0.0
    exact = Decimal(abs(value))
    quantum = Decimal(1).scaleb(exact.adjusted() - digits + 1)
    rounded = float(exact.quantize(quantum, rounding=ROUND_HALF_UP))
    return -rounded if value < 0 else rounded


def number_text(value: float | int) -> str:
    """``String(value)`` for a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that round-trip, as JavaScript does
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    k = len(digits)
    n = exponent + k
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def json_string(text: str) -> str:
    """``JSON.stringify`` of a string."""
    out = _ENCODE_STRING(text)  # what json.dumps(text, ensure_ascii=False) returns
    if not _has_surrogate(text):
        return out
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def js_keys(obj: dict) -> list:
    """``Object.keys`` order: array-index keys ascending, then the rest in insertion order."""
    if not any(map(str.isdigit, obj)):  # an index is all digits (one C pass for most records)
        return list(obj)
    indexes = []
    others = []
    for key in obj:
        if _ARRAY_INDEX.fullmatch(key) and int(key) <= _MAX_ARRAY_INDEX:
            indexes.append(key)
        else:
            others.append(key)
    if not indexes:
        return others
    return sorted(indexes, key=int) + others


def stringify(value: Any) -> str:
    """Compact ``JSON.stringify``, except that ints stay exact beyond 2^53.

    #### Notes
    A record or list is written by Python's C encoder (``_fast_stringify``)
    when what it writes can be mended into exactly these bytes; anything
    else goes through ``_write``, the definition. test_js_stringify.py
    checks the two agree on generated values of every awkward kind.
    """
    if isinstance(value, (dict, list)):
        text = _fast_stringify(value)
        if text is not None:
            return text
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
# A key ``_write`` writes otherwise: an array index (``js_keys`` puts those
# first), or a key that is not a string (``_write`` raises; the encoder
# writes a number, true, false or null). A ``"`` after ``{`` or ``,``
# followed by these and ``":`` opens a key: inside a string every ``"`` is
# escaped. A string key spelled so only takes the slow path. Two patterns,
# each starting with a literal, which the regex engine finds fast.
_ODD_KEYS = tuple(
    re.compile(opening + r'"(?:-?[0-9][0-9.e+-]*|true|false|null)":') for opening in (",", r"\{")
)
# Where the C encoder's float ``repr`` may differ from ``String(x)``: an
# integral float ("1.0", "-0.0") or an exponent ("1e-05", "1e+16"). Each
# starts with a literal, which the regex engine finds fast; a hit may be in
# a string, and only sends the text to ``_mend_floats``.
_REPR_FLOATS = (
    re.compile(r"\.0(?![0-9])"),
    re.compile(r"e\+(?<=[0-9]e\+)"),
    re.compile(r"e-(?<=[0-9]e-)"),
)
# From a position outside any string, what comes before the next float
# ``repr`` writes unlike ``String(x)``, then that float or the end: whole
# strings (an escaped ``"`` does not end one), characters of no number, and
# numbers written alike (an int; a fraction not ending in 0, no exponent).
# Possessive: a token is read one way only, so each match stays linear.
_NEXT_REPR_FLOAT = re.compile(
    r'(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"|[^"0-9-]'
    r"|-?[0-9]++(?![0-9.e])|-?[0-9]++\.[0-9]*[1-9](?![0-9e]))*+"
    r"(?:(-?[0-9]++(?:\.0(?![0-9])|(?:\.[0-9]++)?e[+-][0-9]++))|\Z)"
)


def _fast_stringify(value: dict | list) -> str | None:
    """``stringify(value)`` by the C encoder, or None where its text cannot
    be mended into exactly what ``_write`` writes.

    The C encoder writes strings, ints, bools, None and insertion-ordered
    records as ``_write`` does, with three differences mended or refused:
    lone surrogates (left raw; escaped here as ``json_string`` does, over
    the whole text, since a surrogate pair never spans two strings), float
    ``repr`` (rewritten by ``number_text``), and keys (array indexes,
    non-string keys: refused). NaN, Infinity, a value that is not JSON, a
    cycle or too deep a value raise there: refused, and ``_write`` says
    what it says of them.
    """
    try:
        text = _ENCODE(value)
    except (ValueError, TypeError, RecursionError):
        return None
    if any(pattern.search(text) for pattern in _ODD_KEYS):
        return None
    if any(pattern.search(text) for pattern in _REPR_FLOATS):
        mended = _mend_floats(text)
        if mended is None:
            return None
        text = mended
    if _has_surrogate(text):
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def _mend_floats(text: str) -> str | None:
    """The encoder's text with each float written as ``String(x)`` writes
    it; None at a token the encoder should not have written."""
    pieces = []
    at = 0
    while (found := _NEXT_REPR_FLOAT.match(text, at)) is not None:
        if found.group(1) is None:
            pieces.append(text[at:])
            return "".join(pieces)
        pieces.append(text[at : found.start(1)])
        pieces.append(number_text(float(found.group(1))))
        at = found.end(1)
    return None


def _write(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(json_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(str(value))
    elif isinstance(value, float):
        parts.append(number_text(value) if math.isfinite(value) else "null")
    elif isinstance(value, dict):
        parts.append("{")
        first = True
        for key in js_keys(value):
            if not first:
                parts.append(",")
            first = False
            parts.append(json_string(str(key)))
            parts.append(":")
            _write(value[key], parts)
        parts.append("}")
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def int_or_digits(text: str) -> int | str:
    """A decimal integer as an int, or as its digits when it has more than
    Python converts (``sys.get_int_max_str_digits``); ``parseJsonExact``
    keeps such an integer as its digits too."""
    limit = sys.get_int_max_str_digits()
    return text if limit and len(text.lstrip("-")) > limit else int(text)


def parse_json(text: str) -> Any:
    """``JSON.parse``: raises ValueError where it throws (NaN and Infinity included).

    Integers stay exact, as the project's ``parseJsonExact`` keeps them.
    """
    try:
        return json.loads(text, parse_constant=_no_constant, parse_int=int_or_digits)
    except RecursionError as error:
        raise ValueError("too deeply nested") from error


def json_size(value: Any) -> int:
    """UTF-8 bytes of ``JSON.stringify(value)`` (ints exact).

    Python's C encoder writes the same bytes when the value holds no float
    and no lone surrogate (key order does not change the size), which is
    what span dicts are: that common case costs one C pass.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        data = text.encode("utf-8")
    except (ValueError, TypeError):
        return utf8_size(stringify(value))
    return utf8_size(stringify(value)) if _holds_float(value) else len(data)


def _holds_float(value: Any) -> bool:
    """True when a float is anywhere in the value (strings are not opened)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def utf8_size(text: str) -> int:
    """Bytes of the text once UTF-8 encoded (lone surrogates as U+FFFD)."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return len(well_formed(text).encode("utf-8"))


def _has_surrogate(text: str) -> bool:
    """True when the text holds a surrogate code point (UTF-8 cannot encode one)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
