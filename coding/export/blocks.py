"""A tiny document model (headings, paragraphs, bullet lists, tables) rendered to Markdown or to escaped HTML.

The report is built once as blocks and rendered either way, so both formats say the same thing. Every piece of
text goes through `html.escape` in HTML (transcript text, attribute values and code definitions included); in
Markdown, table cells have their pipes and line breaks escaped.
"""

from __future__ import annotations

import html
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


def _md_cell(value: object) -> str:
    return _cell(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {item}" for item in block.items))
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
