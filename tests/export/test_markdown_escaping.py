"""The Markdown report shows every value as typed: rendered by a CommonMark renderer (markdown-it-py, with GFM
tables and strikethrough), no value becomes a tag, a link, emphasis, a heading or a list, whichever block it lands
in, and the whole report with hostile code names, coder names, attributes and theme manifest renders to nothing
but the report's own structure."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from coding.analysis import load_analysis
from coding.export.blocks import Bullets, Heading, Paragraph, Table, to_markdown
from coding.export.formats import ExportOptions, export_bytes
from coding.export.report import report_blocks
from coding.models import CodingSource, Decision, DecisionAction, ThemeRun
from coding.project_codebook import require_codebook, save_version
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.themes import latest_theme_run, save_theme_run
from tests.analysis.builder import turn_span

markdown_it = pytest.importorskip("markdown_it")

STRUCTURE = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "br"}
HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div>block</div>", "<!-- comment -->",
    "<?php echo 1; ?>", "<![CDATA[x]]>", "<http://evil.example>", "[click](javascript:alert(1))",
    "![pixel](http://evil.example/p.png)", "[ref]: http://evil.example", "&lt;script&gt; &#60;b&#62; &amp;",
    "# heading", "###### six", "> quote", "- item", "+ item", "* item", "1. one", "2) two", "---", "===", "***",
    "___", "    indented code", "```\ncode\n```", "~~~", "`code`", "*em* **strong** _em_ __strong__",
    "~~strike~~", "a | b | c", "line one\n\n# line two", "line one\nline two\n===", "first\n- second",
    "trailing backslash \\", "x\\<script>y", "district_type", "snake__case__word", "$x^2$", "tab\there",
    "Dr. O'Neil & Sons (2024) #1!",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", []))

    def handle_pi(self, data):
        self.tags.append(("?", []))

    def unknown_decl(self, data):
        self.tags.append(("![", []))


def render(markdown: str) -> _Tags:
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parsed = _Tags()
    parsed.feed(html)
    parsed.close()
    return parsed


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("block", ["heading", "paragraph", "bullet", "cell", "column"])
def test_every_value_renders_as_its_own_text_in_every_kind_of_block(value, block):
    made = {"heading": lambda: Heading(2, value), "paragraph": lambda: Paragraph(value),
            "bullet": lambda: Bullets(["fixed", value]), "cell": lambda: Table(["a", "b"], [["fixed", value]]),
            "column": lambda: Table(["a", value], [["1", "2"]])}[block]()
    rendered = render(to_markdown([made]))
    assert {tag for tag, _ in rendered.tags} <= STRUCTURE, rendered.tags
    assert all(not attrs for _, attrs in rendered.tags), rendered.tags
    assert _words(value) in _words(" ".join(rendered.text))


def _hostile_study(study) -> None:
    _, codebook = require_codebook(study)
    codes = tuple(c.model_copy(update={"name": "<script>alert('name')</script>",
                                       "definition": "# Not a heading\n<img src=x onerror=alert(1)>\n[x](javascript:alert(2))",
                                       "include": ("*bold* <b>rule</b>",)}) if c.id == "COST" else c
                  for c in codebook.codes)
    save_version(study, codebook.model_copy(update={"codes": codes}))
    for document, kind in (("R1", "<svg onload=alert(3)>"), ("R2", "<svg onload=alert(3)>"), ("R3", "plain")):
        attributes = doc_store.get_document(study, document).attributes
        doc_store.set_attributes(study, document, {**attributes, "<i>kind</i>": kind})
    coding_store.record(study, [Decision(coder="<b>eve</b>", action=DecisionAction.code,
                                         span=turn_span(study, "R3", 4), code="TIME", source=CodingSource.human)])
    save_theme_run(study, ThemeRun(model_id="<iframe src=x></iframe>", codebook_version=1,
                                   manifest={"<u>key</u>": "<object data=x>", "seed": 1}), [], {}, [])


def test_the_report_with_hostile_values_renders_only_its_own_structure(study):
    _hostile_study(study)
    text = export_bytes(study, "md", ExportOptions(n_boot=50)).decode("utf-8")
    rendered = render(text)
    assert {tag for tag, _ in rendered.tags} <= STRUCTURE, rendered.tags
    assert all(not attrs for _, attrs in rendered.tags)
    shown = _words(" ".join(rendered.text))
    for value in ("<script>alert('name')</script>", "# Not a heading", "<img src=x onerror=alert(1)>",
                  "[x](javascript:alert(2))", "*bold* <b>rule</b>", "<i>kind</i>", "<svg onload=alert(3)>",
                  "<b>eve</b>", "<iframe src=x></iframe>", "<u>key</u>: <object data=x>"):
        assert value in shown, value
    blocks = report_blocks(load_analysis(study), study.path.name, latest_theme_run(study), n_boot=50)
    headings = [tag for tag, _ in rendered.tags if tag in ("h1", "h2", "h3")]
    assert len(headings) == sum(isinstance(block, Heading) for block in blocks)  # no value became a heading
