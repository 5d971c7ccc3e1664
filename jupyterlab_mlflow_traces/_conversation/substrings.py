"""Python port of src/trace/conversation/substrings.ts; kept equal by test_conversation_parity.py.

Finding many strings inside other strings in time linear in their total
length: the index behind ``missing()`` (strings.py).
"""

from __future__ import annotations

import re
import sys

# An unescaped quote closes a JSON string literal; one left open runs to the
# end, so a scan never restarts and stays linear on any input.
_LITERAL = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)("?)', re.DOTALL)

_UTF16 = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"


def quoted_literals(text: str) -> list[str]:
    """The contents of the JSON string literals in ``text``, as written
    (escaped), scanned left to right: each is a substring of ``text``."""
    if '"' not in text:
        return []
    return [body for body, closed in _LITERAL.findall(text) if closed]


def code_units(text: str) -> memoryview:
    """``text`` as UTF-16 code units, as JavaScript indexes a string."""
    return memoryview(text.encode(_UTF16, "surrogatepass")).cast("H")


class Occurrences:
    """Which of a set of patterns occur in the texts fed to it: an
    Aho-Corasick automaton on UTF-16 code units, as JavaScript's
    ``includes`` compares.

    ``mark(text, marks)`` sets ``marks[state]`` for every state ``text``
    reaches and for the states its failure links lead to, stopping at one
    already marked (whose own chain is marked), so feeding any number of
    texts to one marks array costs their length plus the automaton's size.
    Pattern ``i`` occurs in a text fed to ``marks`` when ``marks[ends[i]]``
    is set; no pattern is empty.
    """

    def __init__(self, patterns: list[str]) -> None:
        self._next: dict[int, int] = {}
        parent = [0]
        unit = [0]
        depth = [0]
        self.ends: list[int] = []
        for pattern in patterns:
            state = 0
            for code in code_units(pattern):
                key = state * 65536 + code
                nxt = self._next.get(key)
                if nxt is None:
                    nxt = len(parent)
                    parent.append(state)
                    unit.append(code)
                    depth.append(depth[state] + 1)
                    self._next[key] = nxt
                state = nxt
            self.ends.append(state)
        #: Number of states: the length a marks array needs.
        self.size = len(parent)
        # Failure links in order of depth: a state's link is shallower than it.
        levels: list[list[int]] = [[] for _ in range(max(depth) + 1)]
        for state, d in enumerate(depth):
            levels[d].append(state)
        self._fail = [0] * len(parent)
        for level in levels[2:]:
            for state in level:
                self._fail[state] = self._step(self._fail[parent[state]], unit[state])

    def mark(self, text: str, marks: bytearray) -> None:
        """Mark what ``text`` holds (see the class docstring)."""
        step = self._step
        fail = self._fail
        state = 0
        for code in code_units(text):
            state = step(state, code)
            s = state
            while s != 0 and not marks[s]:
                marks[s] = 1
                s = fail[s]

    def _step(self, state: int, code: int) -> int:
        """The state after ``code`` from ``state``, following failure links."""
        while True:
            nxt = self._next.get(state * 65536 + code)
            if nxt is not None:
                return nxt
            if state == 0:
                return 0
            state = self._fail[state]
