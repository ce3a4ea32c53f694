"""Small documents of every supported format, made on the spot, English and Chinese."""

from __future__ import annotations

import io

ENGLISH_PAGES = [
    "I. Wetlands\n\nWetland parks protect migratory birds. They also store carbon in peat.",
    "II. Grasslands\n\nRotational grazing lets grassland recover. Herders are paid to rest pastures in spring.",
]
CHINESE_PAGES = [
    "一、湿地保护\n\n湿地被称为地球之肾，能够净化水质。",
    "二、草原保护\n\n轮牧让草原得以恢复。牧民在春季休牧可以获得补贴。",
]


def make_pdf(pages: list[str], latin_font: str = "Helvetica") -> bytes:
    """A PDF with one page per string; Chinese drawn in a CID font that needs no font file, other lines in
    `latin_font` (a font reportlab knows, or one registered before)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page_canvas = canvas.Canvas(buffer)
    for page in pages:
        y = 780
        for line in page.split("\n"):
            page_canvas.setFont("STSong-Light" if any("\u4e00" <= c <= "\u9fff" for c in line) else latin_font, 11)
            page_canvas.drawString(60, y, line)
            y -= 16
        page_canvas.showPage()
    page_canvas.save()
    return buffer.getvalue()


def make_laid_out_pdf(
    pages: list[list[list[str]]], paragraph_gap: float, indent: float, heading_gap: float = 0, numbered: bool = False
) -> bytes:
    """A PDF of pages of paragraphs of printed lines, 14 points apart, with `paragraph_gap` more points after
    each paragraph and its first line moved `indent` points right: the two ways a layout marks paragraphs. A
    heading (a one-line paragraph with no full stop, not a list item) has `heading_gap` points more before and
    after it. Numbered, each page's number is drawn at its foot before anything else, as many writers do."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page_canvas = canvas.Canvas(buffer)
    for number, page in enumerate(pages, 1):
        if numbered:
            page_canvas.setFont("Helvetica", 9)
            page_canvas.drawString(290, 30, f"Page {number}")
        y = 780
        for paragraph in page:
            heading = len(paragraph) == 1 and not paragraph[0].endswith((".", ":")) and not paragraph[0].startswith("- ")
            y -= heading_gap if heading else 0
            for line_number, line in enumerate(paragraph):
                page_canvas.setFont("Helvetica", 10.5)
                page_canvas.drawString(60 + (indent if line_number == 0 and not heading else 0), y, line)
                y -= 14
            y -= paragraph_gap + (heading_gap if heading else 0)
        page_canvas.showPage()
    page_canvas.save()
    return buffer.getvalue()


def make_titled_pdf(header: str, title_lines: list[str], paragraphs: list[str]) -> bytes:
    """A journal article's first page: a running header in 8-point type, a title of `title_lines` in 16-point
    type, then the paragraphs in 10-point type, one line each."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page_canvas = canvas.Canvas(buffer)
    y = 800
    for text, size in [(header, 8), *((line, 16) for line in title_lines), *((line, 10) for line in paragraphs)]:
        y -= 30 if size == 16 else 18
        page_canvas.setFont("Helvetica", size)
        page_canvas.drawString(60, y, text)
    page_canvas.showPage()
    page_canvas.save()
    return buffer.getvalue()


def make_printed_pdf(
    header: str, title_lines: list[str], pages: list[list[str]], footnotes: dict[int, list[str]] | None = None
) -> bytes:
    """Pages as a publisher prints them: `header` in 8-point type at each page's top and "Page N of M" at its
    foot, the title's lines in 18-point type on the first page, the pages' lines in 11-point type ("" leaves the
    space between two paragraphs), and each page's footnotes (by page number, from 1) in 7-point type at its foot;
    Chinese lines in a CID font that needs no font file."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = lambda line: "STSong-Light" if any("\u4e00" <= c <= "\u9fff" for c in line) else "Helvetica"  # noqa: E731
    buffer = io.BytesIO()
    page_canvas = canvas.Canvas(buffer)
    for number, lines in enumerate(pages, 1):
        page_canvas.setFont(font(header), 8)
        page_canvas.drawString(60, 810, header)
        page_canvas.drawString(280, 30, f"Page {number} of {len(pages)}")
        y = 780
        for line in title_lines if number == 1 else []:
            page_canvas.setFont("Helvetica-Bold" if font(line) == "Helvetica" else font(line), 18)
            page_canvas.drawString(60, y, line)
            y -= 24
        y -= 12 if number == 1 and title_lines else 0
        for line in lines:
            page_canvas.setFont(font(line), 11)
            page_canvas.drawString(60, y, line)
            y -= 14 if line else 8
        for offset, note in enumerate(reversed((footnotes or {}).get(number, []))):
            page_canvas.setFont(font(note), 7)
            page_canvas.drawString(60, 50 + 10 * offset, note)
        page_canvas.showPage()
    page_canvas.save()
    return buffer.getvalue()


def make_unmapped_pdf(unmapped: int, digits: str) -> bytes:
    """A PDF whose font (Identity-H, no font program) maps only digits to characters, as a browser's PDF of
    Chinese text printed with no Chinese font installed does: its other glyphs are glyph 0."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0013> <001C> <0030> endbfrange "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    codes = "0000" * unmapped + "".join(f"{0x13 + int(d):04X}" for d in digits)
    stream = b"BT /F1 12 Tf 60 780 Td <" + codes.encode() + b"> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Serif /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Serif /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_ligature_pdf(lines: list[str]) -> bytes:
    """A PDF of the lines in Bitstream Vera (it ships with reportlab), whose "fi" and "fl" ligature glyphs come
    back from pypdf as the ligature characters \ufb01 and \ufb02, as in many typeset PDFs."""
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    return make_pdf(["\n".join(lines)], latin_font="Vera")


def make_bulleted_pdf(lead: str, items: list[str]) -> bytes:
    """A PDF of a paragraph and a bulleted list set by reportlab's platypus, whose bullet glyph pypdf gives
    back as the control character \x7f."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body = getSampleStyleSheet()["BodyText"]
    bulleted = ParagraphStyle("bulleted", parent=body, leftIndent=24, bulletIndent=12)
    buffer = io.BytesIO()
    flow = [Paragraph(lead, body)] + [Paragraph(item, bulleted, bulletText="\u2022") for item in items]
    SimpleDocTemplate(buffer).build(flow)
    return buffer.getvalue()


def make_table_pdf(before: str, caption: str, rows: list[list[str]], after: str) -> bytes:
    """A PDF of a paragraph, a caption, a table drawn by reportlab's platypus (pypdf gives each of its cells as
    a line of its own) and a paragraph after it."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    body = getSampleStyleSheet()["BodyText"]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(before, body), Paragraph(caption, body), Table(rows), Paragraph(after, body)])
    return buffer.getvalue()


def make_platypus_paper(title: str, parts: list[tuple[str, list[str], list[str]]]) -> bytes:
    """A white paper as reportlab's page layout makes one: a contents page (its TableOfContents, leader dots and
    page numbers drawn apart from each entry), then each part's heading, short paragraphs set apart by space
    after them, and a bulleted list (ListFlowable, whose bullets are drawn as pieces of their own)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph
    from reportlab.platypus.doctemplate import SimpleDocTemplate
    from reportlab.platypus.tableofcontents import TableOfContents

    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=14, spaceAfter=8)
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.5, leading=14, spaceAfter=7)

    class Paper(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Paragraph) and flowable.style.name == "heading":
                self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    contents = TableOfContents()
    contents.levelStyles = [ParagraphStyle("entry", fontName="Helvetica", fontSize=10.5, leading=14)]
    contents.dotsMinLevel = 0
    story = [Paragraph(title, heading), Paragraph("Contents", body), contents, PageBreak()]
    for name, paragraphs, items in parts:
        story.append(Paragraph(name, heading))
        story += [Paragraph(paragraph, body) for paragraph in paragraphs]
        if items:
            story.append(ListFlowable([ListItem(Paragraph(item, body)) for item in items], bulletType="bullet", start="\u2022"))
    output = io.BytesIO()
    Paper(output, pagesize=A4).multiBuild(story)
    return output.getvalue()


def make_docx(blocks: list[tuple[str, str]]) -> bytes:
    """A .docx of (style, text) blocks: style "title", "h1", "h2", "p", "table" (rows split by newlines, cells by |),
    "bullet" or "number" (Word's List Bullet or List Number style), or "numbered" (a plain paragraph numbered
    directly, as Word's numbering button does, with the List Number style's numbering)."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        if style == "title":
            document.add_heading(text, level=0)  # Word's Title style
        elif style in ("h1", "h2"):
            document.add_heading(text, level=int(style[1]))
        elif style == "table":
            rows = [line.split("|") for line in text.split("\n")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
        elif style in ("bullet", "number"):
            document.add_paragraph(text, style="List Bullet" if style == "bullet" else "List Number")
        elif style == "numbered":
            numbering = document.styles["List Number"].element.pPr.numPr
            paragraph_numbering = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
            paragraph_numbering.get_or_add_numId().val = numbering.numId.val
            paragraph_numbering.get_or_add_ilvl().val = 0
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(title: str, sections: list[tuple[str, str]], encoding: str = "utf-8") -> bytes:
    """An article page wrapped in the menus, cookie banner and footer that a real site has."""
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in sections)
    page = f"""<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{title}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/login">Log in</a></li></ul></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies.</div>
<main><article><h1>{title}</h1>{body}</article></main>
<footer><p>Copyright 2021 Example Media Group. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>"""
    return page.encode(encoding)
