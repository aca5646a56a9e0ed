"""Text from a project (transcripts, names, titles, error messages) shown through Markdown is escaped first, so
that `*`, `_`, `#` or `<` in it are shown as typed."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def md(text: object) -> str:
    """`text` with every Markdown special character backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))
