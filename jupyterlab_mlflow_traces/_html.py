"""A minimal escaping HTML writer for the static text/html fallbacks.

The same rules as ``src/bundle/html.ts``: text and attribute values are
always escaped; tags and attribute names come from closed sets, so no event
handler or script can be written; the only link target is an http(s) URL;
the only style sheet is ``FALLBACK_CSS``, which holds no user content.
"""

from __future__ import annotations

from ._url import safe_http_url

#: Elements the fallbacks use.
TAGS = frozenset(
    ["div", "p", "ul", "li", "span", "strong", "code", "table", "thead", "tbody", "tr", "th", "td",
     "details", "summary"]
)  # fmt: skip

#: CSS class names of the fallbacks.
CLS = {
    "root": "jp-MlflowTraceFallback",
    "trace": "jp-MlflowTraceFallback-trace",
    "header": "jp-MlflowTraceFallback-header",
    "note": "jp-MlflowTraceFallback-note",
    "problems": "jp-MlflowTraceFallback-problems",
    "tree": "jp-MlflowTraceFallback-tree",
    "type": "jp-MlflowTraceFallback-type",
    "name": "jp-MlflowTraceFallback-name",
    "duration": "jp-MlflowTraceFallback-duration",
    "status": "jp-MlflowTraceFallback-status",
    "message": "jp-MlflowTraceFallback-message",
    "more": "jp-MlflowTraceFallback-more",
    "table": "jp-MlflowTraceFallback-table",
    "chats": "jp-MlflowTraceFallback-chats",
    "chat": "jp-MlflowTraceFallback-chat",
    "side": "jp-MlflowTraceFallback-side",
    "messages": "jp-MlflowTraceFallback-messages",
    "chatMessage": "jp-MlflowTraceFallback-chatMessage",
    "role": "jp-MlflowTraceFallback-role",
    "part": "jp-MlflowTraceFallback-part",
    "assessments": "jp-MlflowTraceFallback-assessments",
    "assessment": "jp-MlflowTraceFallback-assessment",
    "value": "jp-MlflowTraceFallback-value",
    "error": "jp-mod-error",
}

#: The fallbacks' only style sheet: constant, with JupyterLab's theme variables.
FALLBACK_CSS = "".join(
    [
        f".{CLS['root']}{{font-family:var(--jp-ui-font-family,sans-serif);font-size:13px}}",
        f".{CLS['header']}{{font-weight:600;margin:4px 0}}",
        f".{CLS['tree']},.{CLS['tree']} ul{{list-style:none;margin:0;padding-left:16px}}",
        f".{CLS['type']}{{font-size:11px;opacity:.7}}",
        f".{CLS['duration']},.{CLS['note']},.{CLS['more']}{{opacity:.7}}",
        f".{CLS['error']}{{color:var(--jp-error-color1,#d32f2f)}}",
        f".{CLS['table']} td,.{CLS['table']} th{{padding:2px 8px;text-align:left}}",
        f".{CLS['chat']}{{margin:8px 0 0 16px}}",
        f".{CLS['side']}{{margin:4px 0;opacity:.7}}",
        f".{CLS['messages']}{{list-style:none;margin:0;padding-left:16px}}",
        f".{CLS['chatMessage']}{{margin:4px 0}}",
        f".{CLS['part']}{{white-space:pre-wrap;overflow-wrap:anywhere;margin-left:16px}}",
    ]
)

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def escape_html(text: str) -> str:
    """Escapes & < > " ' for HTML text and quoted attribute values."""
    return text.translate(_ESCAPES)


def _attributes(css_class: str | None, title: str | None) -> str:
    out = ""
    if css_class is not None:
        out += f' class="{escape_html(css_class)}"'
    if title is not None:
        out += f' title="{escape_html(title)}"'
    return out


class HtmlWriter:
    """Writes well-formed, escaped HTML; ``str()`` closes what is still open."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._open: list[str] = []

    @property
    def depth(self) -> int:
        """Number of elements still open."""
        return len(self._open)

    def open(self, tag: str, css_class: str | None = None, title: str | None = None) -> HtmlWriter:
        """Opens an element of the closed set."""
        if tag not in TAGS:
            raise ValueError(f"{tag!r} is not a fallback element")
        self._parts.append(f"<{tag}{_attributes(css_class, title)}>")
        self._open.append(tag)
        return self

    def close(self) -> HtmlWriter:
        """Closes the innermost open element."""
        if self._open:
            self._parts.append(f"</{self._open.pop()}>")
        return self

    def close_to(self, depth: int) -> HtmlWriter:
        """Closes elements until only ``depth`` remain open."""
        while len(self._open) > max(0, depth):
            self.close()
        return self

    def text(self, text: str) -> HtmlWriter:
        """Writes escaped text."""
        self._parts.append(escape_html(text))
        return self

    def element(self, tag: str, css_class: str | None, text: str) -> HtmlWriter:
        """Writes an element holding only escaped text."""
        return self.open(tag, css_class).text(text).close()

    def link(self, url: str | None, text: str) -> HtmlWriter:
        """A link opening in a new tab; plain text unless ``url`` is http(s)."""
        href = None if url is None else safe_http_url(url)
        if href is None:
            return self.text(text)
        self._parts.append(
            f'<a href="{escape_html(href)}" target="_blank" rel="noopener noreferrer">'
        )
        self.text(text)
        self._parts.append("</a>")
        return self

    def style_sheet(self) -> HtmlWriter:
        """Writes the constant FALLBACK_CSS style sheet."""
        self._parts.append(f"<style>{FALLBACK_CSS}</style>")
        return self

    def __str__(self) -> str:
        self.close_to(0)
        return "".join(self._parts)
