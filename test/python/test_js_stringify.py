"""``_js.stringify`` writes the C encoder's text only where it is exactly what
the definition (``_write``) writes: seeded values of every kind the fast
path mends or refuses (floats ``repr`` writes otherwise, -0, NaN and
Infinity, ints beyond 2^53, lone surrogates and pairs, array-index and
non-string keys, strings that look like those, values that are not JSON,
cycles, depth) give the same text, or the same exception, both ways; and
what node's ``JSON.stringify`` writes of the values JSON can carry."""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess

import pytest

from jupyterlab_mlflow_traces import _js

SEED = 20260518
CASES = 3000

STRINGS = [
    "", "a", "Paris", '"quoted"', "back\\slash", "\\", '\\"', "tab\there", "nl\n", "\x00\x1f\x7f",
    "\u2028\u2029", "\ud800", "\udc00", "a\ud83d", "\ude00b", "\ud83d\ude00", "😀",
    "\udbff\udbff\udc00", "名前", "1.0", ":1.0,", "[1e-05]", '{"0":1}', '{"true":1}', ',"7":',
    "1e+16", "-0.0", "e-mail", "true", "null", "0", "01", "-1", "4294967294", "4294967295",
    "²", "1.5", "x" * 50,
]  # fmt: skip
KEYS = [
    "id", "text", "", "0", "1", "10", "01", "-1", "4294967294", "4294967295", "²", "1.5", "1e+16",
    "true", "false", "null", "NaN", "__proto__", "\ud800", "a\ud83d\ude00", '"', "\\", "é",
]  # fmt: skip
ODD_KEYS = [0, 7, -1, 1.5, 2.0, True, False, None, math.nan, (1, 2)]
FLOATS = [
    0.0, -0.0, 1.0, -1.0, 2.0, 100.0, 0.5, 0.1, 1 / 7, 1e-4, 1.5e-5, 1e-6, 1e-7, 1e-5, 5e-324,
    1e15, 1e16, 9007199254740993.0, 1e20, 1e21, 1.2345678901234568e20, 1e22, 1e300,
    1.7976931348623157e308, -1e21, -1.5e-7, 123.0, 0.30000000000000004, math.nan, math.inf,
    -math.inf,
]  # fmt: skip
INTS = [0, 1, -1, 7, 2**31, 2**53 - 1, 2**53, 2**53 + 1, -(2**64), 10**30, 12345678901234567890]


class Gen:
    """Seeded JSON-like values, now and then holding what JSON cannot."""

    def __init__(self, rng: random.Random, odd: bool) -> None:
        self.rng = rng
        self.odd = odd

    def float_(self) -> float:
        roll = self.rng.random()
        if roll < 0.6:
            return self.rng.choice(FLOATS)
        if roll < 0.8:
            return float(self.rng.randint(-(10**6), 10**6))
        return self.rng.uniform(-1, 1) * 10.0 ** self.rng.randint(-30, 30)

    def leaf(self):
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.choice(STRINGS)
        if roll < 0.65:
            return self.float_()
        if roll < 0.8:
            return self.rng.choice(INTS)
        if roll < 0.95 or not self.odd:
            return self.rng.choice([True, False, None])
        return self.rng.choice([{1, 2}, b"bytes", object()])

    def key(self):
        if self.odd and self.rng.random() < 0.03:
            return self.rng.choice(ODD_KEYS)
        return self.rng.choice(KEYS) if self.rng.random() < 0.5 else f"k{self.rng.randint(0, 9)}"

    def value(self, depth: int = 0):
        roll = self.rng.random()
        if depth > 4 or roll < 0.3:
            return self.leaf()
        size = self.rng.randint(0, 6)
        if roll < 0.6:
            items = [self.value(depth + 1) for _ in range(size)]
            return tuple(items) if self.odd and self.rng.random() < 0.1 else items
        return {self.key(): self.value(depth + 1) for _ in range(size)}


def slow(value) -> str:
    """The definition: ``_write`` alone."""
    parts: list[str] = []
    _js._write(value, parts)
    return "".join(parts)


def outcome(write, value) -> str:
    """The text written, or the name of the exception raised."""
    try:
        return write(value)
    except (TypeError, ValueError, RecursionError) as error:
        return f"raised {type(error).__name__}"


def containers(gen: Gen) -> list:
    out = []
    while len(out) < CASES:
        value = gen.value()
        if isinstance(value, (dict, list)):
            out.append(value)
    return out


def test_the_fast_path_writes_what_the_definition_writes():
    values = containers(Gen(random.Random(SEED), odd=True))
    fast = 0
    for i, value in enumerate(values):
        expected = outcome(slow, value)
        assert outcome(_js.stringify, value) == expected, f"value {i}: {value!r}"
        fast += _js._fast_stringify(value) is not None
    # Both paths are exercised: many values written fast (mended or not), many refused.
    assert CASES // 5 < fast < CASES - CASES // 5, fast


def test_the_fast_path_mends_floats_and_surrogates_and_refuses_odd_keys():
    assert _js.stringify([1.0, -0.0, 1e-7, 1e21, 1e16, 1.5e-5, 0.25]) == (
        "[1,0,1e-7,1e+21,10000000000000000,0.000015,0.25]"
    )
    assert _js.stringify({"a": ":1.0,", "b": [2.0]}) == '{"a":":1.0,","b":[2]}'
    assert (
        _js.stringify(["\ud800", "\ud83d\ude00", "\udc00x"])
        == '["\\ud800","\ud83d\ude00","\\udc00x"]'
    )
    assert _js.stringify({"b": 1, "1": 2, "0": 3}) == '{"0":3,"1":2,"b":1}'
    assert _js.stringify([math.nan, math.inf, 2**64]) == "[null,null,18446744073709551616]"
    for refused in ({"1": 2}, {"true": 1}, {1: 2}, {None: 1}, [math.nan], [{1, 2}]):
        assert _js._fast_stringify(refused) is None, refused
    cycle: list = []
    cycle.append(cycle)
    assert outcome(_js.stringify, cycle) == outcome(slow, cycle) == "raised RecursionError"
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert outcome(_js.stringify, deep) == outcome(slow, deep) == "raised RecursionError"


def js_safe(value) -> bool:
    """Whether JSON carries the value to node exactly (finite floats, safe ints)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= 2**53 - 1
    if isinstance(value, dict):
        return all(isinstance(k, str) and js_safe(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(js_safe, value))
    return isinstance(value, (str, bool)) or value is None


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_stringify_writes_what_node_writes():
    values = [v for v in containers(Gen(random.Random(SEED + 1), odd=False)) if js_safe(v)]
    assert len(values) > CASES // 4
    # ASCII JSON carries lone surrogates and -0 to node; one value a line.
    lines = "\n".join(json.dumps(v) for v in values)
    script = (
        "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');"
        "process.stdout.write(JSON.stringify(lines.map(l => JSON.stringify(JSON.parse(l)))));"
    )
    answer = subprocess.run(
        ["node", "-e", script], input=lines.encode(), capture_output=True, check=True, timeout=60
    )
    expected = json.loads(answer.stdout)
    for i, (value, golden) in enumerate(zip(values, expected, strict=True)):
        # Compared as JavaScript compares: in UTF-16 code units (a pair
        # written as two surrogates in Python is one emoji in node's answer).
        assert utf16(_js.stringify(value)) == utf16(golden), f"value {i}: {value!r}"


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")
