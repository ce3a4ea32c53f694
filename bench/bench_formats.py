"""The same document in the shapes users bring it in: answer quality on each against the plain text.

    .venv/bin/python bench/bench_formats.py [--questions FILE] [--modes dense]

The development white paper (English, and the Chinese version) is written out again as a text hard-wrapped at
78 columns, as Project Gutenberg books, RFCs and Python's own reference topics are, and as a PDF set in a
proportional font, whose text pypdf gives back one line at a time with no blank line between paragraphs: its
paragraphs set apart by space, or with only the headings spaced and each paragraph's first line indented;
and, in English, justified with words hyphenated at line ends. Each is indexed on its own (in .cache/qa-eval/,
as `qa eval --corpus` does) and asked the same questions. A reader that keeps a document's sentences and
paragraphs whatever its line breaks prints the same figures in each row.
By default the tuning questions are asked; `--questions eval/white-paper.jsonl` (with its Chinese twin) gives
the held-out figures for the README.
"""

from __future__ import annotations

import argparse
import io
import shutil
import textwrap
from html import escape
from pathlib import Path

from bench_env import ROOT, TUNING, WHITE_PAPER, WHITE_PAPER_ZH  # first: puts the repository on the path

from qa.chunking import chunk_document
from qa.corpus import load_corpus
from qa.evaluate import EVAL_CACHE, eval_index, evaluate_mode, read_cases, table
from qa.settings import Settings
from qa.sentences import has_cjk

WRAP_COLUMNS = 78
PAGE_WIDTH_POINTS = 475  # an A4 page's text width at 60-point margins
CJK_LINE_CHARACTERS = 40
CHUNK_TOKENS = Settings().chunk_max_tokens


def wrapped_text(text: str) -> str:
    """Every paragraph wrapped at WRAP_COLUMNS, the blank lines between paragraphs kept."""
    return "\n\n".join("\n".join(textwrap.wrap(p, WRAP_COLUMNS)) if len(p) > WRAP_COLUMNS else p for p in text.split("\n\n"))


def pdf_lines(paragraph: str, font: str, size: float, indent: float = 0) -> list[str]:
    """The paragraph's printed lines, its first line `indent` points narrower."""
    from reportlab.lib.utils import simpleSplit

    if has_cjk(paragraph):  # no spaces to break at: a fixed count of characters per line
        first = CJK_LINE_CHARACTERS - round(indent / size)
        return [paragraph[:first]] + [paragraph[i : i + CJK_LINE_CHARACTERS] for i in range(first, len(paragraph), CJK_LINE_CHARACTERS)]
    first, *_ = simpleSplit(paragraph, font, size, PAGE_WIDTH_POINTS - indent) or [""]
    rest = paragraph[len(first):].strip()
    return [first] + (simpleSplit(rest, font, size, PAGE_WIDTH_POINTS) if rest else [])


def pdf_of(text: str, running_header: str = "", indented: bool = False) -> bytes:
    """A PDF of the text: paragraphs set line by line to the page's width with a gap after each, headings
    (short lines without a full stop) in bold, Chinese in a CID font that needs no font file. With a running
    header, each page also carries it at its top and its number at its foot, as printed reports do. Indented,
    only headings have space around them, and each paragraph's first line starts further right."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    number = 1

    def furnish() -> None:
        if running_header:
            page.setFont("STSong-Light" if has_cjk(running_header) else "Helvetica", 9)
            page.drawString(60, 815, running_header)
            page.drawString(300, 30, str(number))

    furnish()
    y = 790
    for paragraph in (p.strip() for p in text.split("\n") if p.strip()):
        heading = len(paragraph) < 80 and not paragraph.endswith((".", "。"))
        font = "STSong-Light" if has_cjk(paragraph) else "Helvetica-Bold" if heading else "Helvetica"
        indent = 21 if indented and not heading else 0
        y -= 8 if indented and heading else 0
        for line_number, line in enumerate(pdf_lines(paragraph, font, 10.5, indent)):
            if y < 60:
                page.showPage()
                number += 1
                furnish()
                y = 790
            page.setFont(font, 10.5)
            page.drawString(60 + (indent if line_number == 0 else 0), y, line)
            y -= 14
        y -= 8 if heading or not indented else 0
    page.showPage()
    page.save()
    return buffer.getvalue()


def hyphenated_pdf_of(text: str) -> bytes:
    """A PDF of the text as typesetters set reports: justified, words hyphenated at a line's end (pyphen's
    patterns, through reportlab), space after each paragraph."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=8,
                          alignment=TA_JUSTIFY, hyphenationLang="en_GB", embeddedHyphenation=1)
    buffer = io.BytesIO()
    story = [Paragraph(escape(p.strip()), body) for p in text.split("\n") if p.strip()]
    SimpleDocTemplate(buffer, leftMargin=60, rightMargin=60).build(story)
    return buffer.getvalue()


def renditions(source: Path) -> dict[str, Path]:
    """Folder per shape ("text", "wrapped text", "PDF", "PDF with header and page numbers", "PDF with indented
    paragraphs", and for English "PDF justified and hyphenated"), each holding the document and its metadata."""
    text, meta = source.read_text(encoding="utf-8"), source.with_name(source.name + ".meta.json")
    folders = {"text": source.parent}
    for shape, name, content in (
        ("wrapped text", source.name, wrapped_text(text).encode("utf-8")),
        ("PDF", source.stem + ".pdf", pdf_of(text)),
        ("PDF with header and page numbers", source.stem + ".pdf", pdf_of(text, text.split("\n", 1)[0])),
        ("PDF with indented paragraphs", source.stem + ".pdf", pdf_of(text, indented=True)),
        *([] if has_cjk(text) else [("PDF justified and hyphenated", source.stem + ".pdf", hyphenated_pdf_of(text))]),
    ):
        folder = EVAL_CACHE / "renditions" / f"{source.stem}-{shape.replace(' ', '-')}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        (folder / name).write_bytes(content)
        if meta.exists():
            shutil.copy(meta, folder / f"{name}.meta.json")
        folders[shape] = folder
    return folders


def sections_kept(folder: Path, text_folder: Path) -> str:
    """How many of the shape's chunks carry the section that the same words have in the plain text's chunks."""
    def chunks(path: Path) -> list:
        document = load_corpus(path).documents[0]
        title = document.metadata.get("title", "")
        return chunk_document(document.source, document.text, CHUNK_TOKENS, 1, document.page_starts, title)

    key = lambda chunk: "".join(chunk.text.split())[:30]  # noqa: E731
    sections = {key(chunk): chunk.section for chunk in chunks(text_folder)}
    found = chunks(folder)
    return f"{sum(sections.get(key(chunk)) == chunk.section for chunk in found)} of {len(found)} chunks"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(TUNING / "white-paper.jsonl"), help="English questions")
    parser.add_argument("--chinese-questions", default=str(TUNING / "white-paper-zh.jsonl"))
    parser.add_argument("--modes", default="dense")
    args = parser.parse_args()
    for corpus, questions in ((WHITE_PAPER, args.questions), (WHITE_PAPER_ZH, args.chinese_questions)):
        source = next(Path(corpus).glob("*.txt"))
        cases = read_cases(Path(questions))
        for shape, folder in renditions(source).items():
            index_dir = eval_index([str(folder)])
            kept = sections_kept(folder, Path(corpus))
            print(f"\n== {source.name} as {shape}: {Path(questions).resolve().relative_to(ROOT)}; chunks starting "
                  f"as in the text, with the text's section: {kept}")
            print(table([evaluate_mode(cases, mode, index_dir) for mode in args.modes.split(",")]))


if __name__ == "__main__":
    main()
