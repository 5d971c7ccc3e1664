"""Python port of src/trace/conversation/dspy.ts; kept equal by test_conversation_parity.py.

DSPy's prompts and completions: text in ``[[ ## field ## ]]`` sections, read
as text parts headed by their field.
"""

from __future__ import annotations

import re

#: A DSPy section marker (the pattern means the same on code points as on
#: JavaScript's UTF-16 code units: its only literals are ASCII).
DSPY_MARKER = re.compile(r"\[\[ ## ([^\]\n]+?) ## \]\]")


def dspy_parts(text: str) -> list[dict] | None:
    """DSPy's ``[[ ## field ## ]]`` sections as headed text parts."""
    matches = list(DSPY_MARKER.finditer(text))
    if not matches:
        return None
    parts: list[dict] = []
    # Untrimmed, so the parts put back together give the text again.
    before = text[: matches[0].start()]
    if before != "":
        parts.append({"kind": "text", "text": before})
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.append({"kind": "text", "heading": match.group(1), "text": text[match.end() : end]})
    return parts


def dspy_completions(items: list) -> list[dict] | None:
    """DSPy completions: a list of strings with ``[[ ## field ## ]]`` sections."""
    if not all(isinstance(item, (str, dict)) for item in items):
        return None
    messages = []
    for item in items:
        if isinstance(item, str):
            text = item
        elif isinstance(item.get("text"), str):
            text = item["text"]
        else:
            return None
        parts = dspy_parts(text)
        if parts is None:
            return None
        messages.append({"role": "assistant", "roleKind": "assistant", "parts": parts})
    return messages or None
