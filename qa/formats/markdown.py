"""Markdown: the text a reader sees, not its markup. Emphasis, links, inline code and escapes give their text
("Helmets are *mandatory*" is quoted as "Helmets are mandatory", "[club rules](https://…)" as "club rules");
headings stay `#` lines and list items `-` or `1.` lines, which the chunker reads as structure; a table keeps
its rows as `| a | b |` lines without the `|---|` rule; code blocks keep their lines; raw HTML gives its text;
YAML front matter is left out. Parsed by markdown-it-py (CommonMark, with tables), so what counts as markup is
what Markdown itself says.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from qa.formats import ExtractedText
from qa.formats.text import decode_text


# Raw HTML inside Markdown is shown as its text: comments and tags are not read, a line break is one.
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
HTML_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
HTML_TAG = re.compile(r"<[^>]*>")
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
    """The text of an inline run: markup dropped, an image by its description, line breaks kept."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(inline_text(child))
        elif child.type == "html_inline" and HTML_LINE_BREAK.fullmatch(child.content):
            parts.append("\n")
    return "".join(parts).strip()


def html_text(fragment: str) -> str:
    """An HTML block's text, as a page would show it: no comments, no tags, entities as characters."""
    text = HTML_TAG.sub(" ", HTML_LINE_BREAK.sub("\n", HTML_COMMENT.sub("", fragment)))
    lines = (" ".join(line.split()) for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)
