"""HTML: the article text only (menus, footers and ads left out) by trafilatura, headings kept as `#` lines.

trafilatura writes the article as Markdown; it is read as the Markdown reader reads any (qa/formats/markdown.py),
so a quote reads as the page does ("ACCT_2024_07", not "ACCT\\_2024\\_07"; no `**` or `|---|`), with headings,
lists and table rows still marked for the chunker. trafilatura sometimes leaves a page's headings out of its
article (all of them, for a probe's Chinese report: <h1>, its parts' <h2> and sub-parts' <h3>, so every citation
showed the wrong section); each heading it left out is put back as a `#` line before the text that follows it
on the page (`with_headings`). A page's title and date line that sit above its article, outside it ("<h1>Lantern
Reef Marine National Park opens to visitors</h1>", then "Updated: 2024-06-12 16:42 Source: …", then the article's
<div>, as a government site's pages are saved), are not in the text: they are the document's title and date
(`shown_title_and_date`), which head its passages and date it among editions (qa/editions.py).
"""

from __future__ import annotations

import re

from qa.errors import UnreadableDocumentError
from qa.formats import ExtractedText
from qa.formats.markdown import plain_text
from qa.lines import TABLE_RULE

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
CAPTION_ROW = re.compile(r"^\s*\|\s*([^|]*?\S)\s*\|(?:\s*\|)+\s*$")  # "| Table 1. … |  |  |"
# The text that follows a heading on the page is found in the article by its first characters (enough to be
# told apart from other paragraphs, few enough to stay inside one line of the article).
FOLLOWING_CHARS = 24
NOT_IN_A_HEADING = " and ".join(f"not(ancestor::{tag})" for tag in HEADINGS)


def read(raw: bytes) -> ExtractedText:
    import trafilatura

    # trafilatura finds the encoding itself (UTF-8, GBK, ...) from the bytes and the page's meta tags. Favouring
    # recall: by default a page whose text sits directly in <body> (no <main> or <article>, as a hand-written
    # manual's) lost every heading and bulleted list, the safety rules of a probe's kettle manual among them; the
    # development pages and the tests' pages with menus, cookie banners and footers read the same either way.
    text = trafilatura.extract(
        raw,
        output_format="markdown",
        include_comments=False,
        include_tables=True,
        include_links=False,
        favor_recall=True,
    )
    if not text or not text.strip():
        raise UnreadableDocumentError("no article text was found in this HTML page")
    tree = parsed(raw)
    if tree is not None and not has_text_outside_page_furniture(tree):
        # trafilatura, favouring recall, gave a probe's page of a menu and a footer alone back as its text.
        raise UnreadableDocumentError(
            "this HTML page holds only menus, headers or footers (a page whose text a script loads must be saved "
            "after it has loaded)"
        )
    text = plain_text(with_captions_above_tables(with_headings(tree, text.replace("\r\n", "\n"))))
    title, date = shown_title_and_date(tree, text)
    return ExtractedText(text, title=title, date=date)


DATE_LINE_CHARS = 200  # the most text read after a page's title for the date it shows


def shown_title_and_date(tree, text: str) -> tuple[str, str]:
    """The page's first <h1> when the article's text does not hold it, and the first date (ISO, English or
    Chinese, as `qa.periods.document_period` reads them) in the text shown between it and the article, within
    DATE_LINE_CHARS: "Updated: 2024-06-12 16:42". ("", "") when the article holds its title (a date line under it
    is then in the text)."""
    from qa.periods import dated_in

    heading = next(iter(tree.iter("h1")), None) if tree is not None else None
    if heading is None:
        return "", ""
    title = " ".join(heading.text_content().split())
    if not title or title in " ".join(text.split()):
        return "", ""
    following = heading.xpath(f"following::text()[normalize-space() and {NOT_IN_A_HEADING}]")
    shown, date = "", ""
    for node in following:
        piece = " ".join(str(node).split())
        if piece and piece in text:
            break  # the article begins
        shown = f"{shown} {piece}"
        if len(shown) > DATE_LINE_CHARS:
            break
        if date := dated_in(shown):
            break
    return title, date


def with_captions_above_tables(markdown: str) -> str:
    """trafilatura writes a table's <caption> as its first row, its text in the first cell and the others empty,
    with a `|---|` rule under it and another under the real header row; read so, the second rule was read as a
    row of text and the caption as a row of the table (a new-user probe's paper). The caption goes on a line of
    its own above the table, and its rule goes."""
    lines = markdown.split("\n")
    result: list[str] = []
    index = 0
    while index < len(lines):
        caption = CAPTION_ROW.match(lines[index])
        if (
            caption and index + 3 < len(lines) and TABLE_RULE.match(lines[index + 1])
            and lines[index + 2].lstrip().startswith("|") and TABLE_RULE.match(lines[index + 3])
        ):
            result += [caption.group(1), ""]
            index += 2
            continue
        result.append(lines[index])
        index += 1
    return "\n".join(result)


PAGE_FURNITURE = ("nav", "header", "footer", "aside", "script", "style", "noscript", "template")


def parsed(raw: bytes):
    """The page as lxml reads it, once for both looks below; None when lxml cannot (trafilatura's text stands)."""
    from lxml import etree, html

    try:
        return html.fromstring(raw)
    except (etree.ParserError, ValueError):
        return None


def has_text_outside_page_furniture(tree) -> bool:
    """Whether the page's body holds any text outside its menus, headers, footers and scripts."""
    body = tree.find("body") if tree.tag != "body" else tree
    if body is None:
        body = tree
    outside = body.xpath(
        "descendant::text()[normalize-space()]" + "".join(f"[not(ancestor::{tag})]" for tag in PAGE_FURNITURE)
    )
    return bool(outside)


def page_headings(tree) -> list[tuple[int, str, str]]:
    """The page's headings in order: (level, text, the start of the text that follows it on the page)."""
    if tree is None:
        return []
    headings = []
    for element in tree.iter(*HEADINGS):
        text = " ".join(element.text_content().split())
        following = element.xpath(f"following::text()[normalize-space() and {NOT_IN_A_HEADING}][1]")
        if text and following:
            headings.append((int(element.tag[1]), text, " ".join(str(following[0]).split())[:FOLLOWING_CHARS]))
    return headings


def with_headings(tree, markdown: str) -> str:
    """The article with each heading of the page that it left out put back as a `#` line, before the line where
    the text that follows the heading on the page begins (a heading whose text is not in the article, a menu's
    or a sidebar's, stays out)."""
    lines = markdown.split("\n")
    kept = {line.lstrip("#").strip() for line in lines if line.startswith("#")}
    readable = [" ".join(line.replace("\\", "").split()) for line in lines]
    inserted: dict[int, list[str]] = {}
    searched_from = 0
    for level, text, following in page_headings(tree):
        if text in kept:
            continue
        at = next((n for n in range(searched_from, len(lines)) if readable[n].startswith(following)), None)
        if at is None:
            continue
        inserted.setdefault(at, []).append(f"{'#' * level} {text}")
        searched_from = at
    if not inserted:
        return markdown
    result = []
    for number, line in enumerate(lines):
        for heading in inserted.get(number, []):
            result += [heading, ""]
        result.append(line)
    return "\n".join(result)
