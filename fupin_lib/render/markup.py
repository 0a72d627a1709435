"""Text from the data made safe for the formats it is shown in.

Ledger and peers-table text is untrusted: a canteen named `<script>…</script>` or
`[点我](javascript:…)` must reach the reader as those characters, never as markup, a link or an
image. Every place that puts data into HTML or Markdown goes through `esc` or `md`.
"""

from __future__ import annotations

import html
import re

from ..ingest.parsers import BIDI_CONTROLS

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$>])")


def esc(value: object) -> str:
    """Text made safe to put into HTML (element content or a quoted attribute), without
    bidirectional controls (which would turn the text after them around)."""
    return html.escape(BIDI_CONTROLS.sub("", str(value)), quote=True)


def md(value: object) -> str:
    """Text made safe to put into Markdown: HTML escaped (no markup, no link, no image) and
    Markdown's own characters backslash-escaped (no emphasis, no list, no math)."""
    return _MD_SPECIAL.sub(r"\\\1", esc(value))
