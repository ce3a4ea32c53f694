"""Markdown: the text a reader sees, not its markup. Emphasis, links, inline code and escapes give their text
("Helmets are *mandatory*" is quoted as "Helmets are mandatory", "[club rules](https://…)" as "club rules");
headings stay `#` lines and list items `-` or `1.` lines, which the chunker reads as structure; a table keeps
its rows as `| a | b |` lines without the `|---|` rule; code blocks keep their lines; raw HTML gives its text;
YAML front matter and images are left out. Parsed by markdown-it-py (CommonMark, with tables), so what counts as markup is
what Markdown itself says.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from qa.formats import ExtractedText
from qa.formats.text import decode_text


HTML_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Raw HTML inside Markdown is shown as its text; these elements start a line of it.
HTML_LINE_ELEMENTS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody thead tfoot ul".split()
)
# YAML front matter (Jekyll, Hugo, Obsidian) opens a file between two "---" lines; renderers do not show it.
# Only "key: value" lines (and their indented or "- " continuations) count, so a rule that opens a text is kept.
FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n[\w-]+[ \t]*:.*\n(?:(?:[\w-]+[ \t]*:|[ \t]+\S|[ \t]*-[ \t]).*\n)*(?:---|\.\.\.)[ \t]*(?:\n|\Z)"
)
NESTING = 100  # markdown-it stops reading deeper than this (its CommonMark default, 20, dropped a 25-deep quote)


def read(raw: bytes) -> ExtractedText:
    return ExtractedText(plain_text(decode_text(raw)))


def plain_text(markdown: str) -> str:
    """The Markdown's blocks as plain text, one blank line between blocks; a list's items and a table's rows
    stay together, one line each."""
    markdown = FRONT_MATTER.sub("", markdown, count=1)
    tokens = MarkdownIt("commonmark", {"maxNesting": NESTING}).enable("table").parse(markdown)
    blocks: list[str] = []
    rows: list[str] = []  # the lines of the list or table being read
    cells: list[str] = []
    item_marks: list[str] = []  # the mark of each open list item ("-", "3."), innermost last
    lists = 0
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":  # "## Fees", or "Fees" underlined with "---"
            blocks.append(f"{'#' * int(token.tag[1:])} {inline_text(tokens[index + 1])}")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
            if not lists and rows:
                blocks.append("\n".join(rows))
                rows = []
        elif kind == "list_item_open":
            item_marks.append(f"{token.info}{token.markup}" if token.info else token.markup or "-")
        elif kind == "list_item_close":
            item_marks.pop()
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            text = inline_text(token)
            if lists:
                rows.append(f"{item_marks[-1]} {text}" if tokens[index - 2].type == "list_item_open" else text)
            else:
                blocks.append(text)
        elif kind in ("fence", "code_block"):
            (rows if lists else blocks).append(token.content.rstrip("\n"))
        elif kind == "html_block":
            blocks.append(html_text(token.content))
        elif kind == "tr_open":
            cells = []
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            cells.append(inline_text(token))
        elif kind == "tr_close":
            rows.append("| " + " | ".join(cells) + " |")
        elif kind == "table_close":
            blocks.append("\n".join(rows))
            rows = []
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def inline_text(token: Token) -> str:
    """The text of an inline run: markup dropped, line breaks kept. An image gives nothing, as in the HTML reader:
    a reader sees the picture, not its description, and a wiki's species page opening with "![Greyhollow
    Warbler](…)" was a passage of the name alone, quoted first for every question on the species (a probe: 44
    answers)."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline" and HTML_LINE_BREAK.fullmatch(child.content):
            parts.append("\n")
    return "".join(parts).strip()


def html_text(fragment: str) -> str:
    """An HTML block's text, as a page would show it: no comments, no tags, entities as characters; a table's
    rows as `| a | b |` lines, as a Markdown table's are (a probe's HTML table of district spending inside its
    Markdown report read "Old Harbour 9.8 14", its cells run together)."""
    reader = HtmlBlockText()
    reader.feed(fragment)
    reader.close()
    reader.end_line()
    return "\n".join(reader.lines)


class HtmlBlockText(HTMLParser):
    """The lines of text an HTML fragment shows; script and style give none."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []  # the text since the last line or cell ended
        self.cells: list[str] | None = None  # the cells of the table row being read
        self.in_cell = False
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "tr":
            self.end_line()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.end_cell()
            self.in_cell = True
        elif tag in HTML_LINE_ELEMENTS and self.cells is None:
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag == "tr" and self.cells is not None:
            self.end_cell()
            if any(self.cells):
                self.lines.append("| " + " | ".join(self.cells) + " |")
            self.cells = None
        elif tag in ("td", "th") and self.cells is not None:
            self.end_cell()
        elif tag in HTML_LINE_ELEMENTS and self.cells is None:
            self.end_line()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)

    def end_cell(self) -> None:
        if self.in_cell:  # an empty cell stays a cell, so the columns stay under their headers
            self.cells.append(" ".join("".join(self.text).split()))
        self.in_cell = False
        self.text = []

    def end_line(self) -> None:
        line = " ".join("".join(self.text).split())
        if line:
            self.lines.append(line)
        self.text = []
