"""Markdown: the text a reader sees, not its markup. Emphasis, links, inline code and escapes give their text
("Helmets are *mandatory*" is quoted as "Helmets are mandatory", "[club rules](https://…)" as "club rules");
headings stay `#` lines and list items `-` or `1.` lines, which the chunker reads as structure; a table keeps
its rows as `| a | b |` lines without the `|---|` rule; code blocks keep their lines. Parsed by markdown-it-py
(CommonMark, with tables), so what counts as markup is what Markdown itself says.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from qa.formats import ExtractedText
from qa.formats.text import decode_text


def read(raw: bytes) -> ExtractedText:
    return ExtractedText(plain_text(decode_text(raw)))


def plain_text(markdown: str) -> str:
    """The Markdown's blocks as plain text, one blank line between blocks; a list's items and a table's rows
    stay together, one line each."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    blocks: list[str] = []
    rows: list[str] = []  # the lines of the list or table being read
    cells: list[str] = []
    item_marks: list[str] = []  # the mark of each open list item ("-", "3."), innermost last
    lists = 0
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            blocks.append(f"{token.markup} {inline_text(tokens[index + 1])}")
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
            blocks.append(token.content.strip())
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
    return "".join(parts).strip()
