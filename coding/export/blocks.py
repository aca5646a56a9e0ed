"""A tiny document model (headings, paragraphs, bullet lists, tables) rendered to Markdown or to escaped HTML.

The report is built once as blocks and rendered either way, so both formats say the same thing. Blocks hold plain
text, and every piece of it is escaped for the format it is rendered to (transcript text, code names, coder names,
attribute names and values, document names included): `html.escape` in HTML, `markdown_text` in Markdown, so that
no renderer turns it into a tag, a link, emphasis or a heading.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Table:
        return cls([str(c) for c in frame.columns], [list(r) for r in frame.itertuples(index=False)])


Block = Heading | Paragraph | Bullets | Table


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


# Characters that CommonMark or GitHub-flavoured Markdown give a meaning anywhere in a line: escapes, code spans,
# emphasis, links and images, raw HTML and autolinks, entities, table cells, strikethrough, heading closers, math.
# Escaping "<" and "&" is what keeps a renderer from passing HTML through.
_INLINE = re.compile(r"[\\`*\[\]<>&|~#$]")
# "_" only emphasises at a word's edge: "district_type" stays as written.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# At the start of a line, besides the inline characters (# > * _ ~ ` already escaped): list items, setext
# underlines, thematic breaks and ordered lists.
_LINE_START = re.compile(r"^([+\-=]|[0-9]+(?=[.)]))")


def markdown_inline(value: object) -> str:
    """Text escaped for use inside a line of Markdown (a table cell, after a list marker): shown as typed."""
    text = _INLINE.sub(lambda m: "\\" + m.group(0), _cell(value))
    return _UNDERSCORE.sub(r"\\_", text)


def markdown_text(value: object) -> str:
    """Text escaped to be a Markdown paragraph, list item or heading that shows exactly its words: inline
    characters escaped, each line stripped (no indented code) and a block marker at its start escaped, line
    breaks kept as hard breaks."""
    lines = [line.strip() for line in _cell(value).splitlines()]
    escaped = []
    for line in (line for line in lines if line):
        line = markdown_inline(line)
        match = _LINE_START.match(line)
        if match and match.group(0).isdigit():  # "1." -> "1\." so it is not an ordered list
            line = match.group(0) + "\\" + line[match.end():]
        elif match:
            line = "\\" + line
        escaped.append(line)
    return "\\\n".join(escaped)


def _md_cell(value: object) -> str:
    return markdown_inline(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _md_line(value: object) -> str:
    """A heading is one line: its line breaks become spaces."""
    return markdown_text(" ".join(_cell(value).split()))


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {_md_line(block.text)}")
        elif isinstance(block, Paragraph):
            out.append(markdown_text(block.text))
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {markdown_text(item)}" for item in block.items))
        else:
            lines = ["| " + " | ".join(_md_cell(c) for c in block.columns) + " |",
                     "|" + "|".join(" --- " for _ in block.columns) + "|"]
            lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}"
)


def to_html(blocks: list[Block], title: str) -> str:
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{esc(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>"]
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            out.append(f"<h{level}>{esc(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in block.items) + "</ul>")
        else:
            head = "".join(f"<th>{esc(c)}</th>" for c in block.columns)
            body = "".join("<tr>" + "".join(f"<td>{esc(_cell(v))}</td>" for v in row) + "</tr>" for row in block.rows)
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
