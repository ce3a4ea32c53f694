"""A PDF's tables as rows: pypdf gives each cell of a drawn table as a line of its own ("Museum", "2020", …,
"Harbour Museum", "48,310", …), so a table read as one long sentence and its answers quoted all of it or missed
the cell (a new-user probe's yearbook chapter: 4 of 14 table questions right). Cells drawn side by side on one
baseline are written as one row, `| Harbour Museum | 48,310 | … |`, as the other readers write tables, so that
a row is read under its header row (qa/lines.py).

A line of prose comes from pypdf whole, however many fonts it mixes; only separate pieces of text drawn at one
height, side by side, come as several lines at the same height. A run of at least `TABLE_MIN_ROWS` such
heights makes a table: two columns of text side by side for a line or two do not.
"""

from __future__ import annotations

import re

from qa.formats.pdf_layout import PlacedLine

# Cells of one row share their baseline; a cell set a point or so higher (a superscript, another font size)
# is still on the row.
SAME_ROW_POINTS = 1.5
TABLE_MIN_ROWS = 3  # a header and two rows at least; set before measuring
# A list item's marker drawn as a piece of its own, a little lower than its text (reportlab's bullet is the
# glyph of DEL, which no reader shows): one row of two cells, which read as a table row with an empty cell
# ("|  | onshore wind capacity of 22 GW; |") for a new-user probe's white paper.
ITEM_MARKER = re.compile(r"\s*[\x7f•·●▪◦‣∙○■□–-]\s*")
# A contents entry's leader dots and page number drawn apart from its title: the entry is a line of text
# ("Preface . . . . 4", which qa/structure.py reads as one), not a table's row.
LEADERS = re.compile(r"(?:[.·…‥・．]\s*){3,}\s*(?:\d{1,4}|[ivxlc]{1,6})?\s*", re.IGNORECASE)


def with_table_rows(page: list[PlacedLine]) -> list[PlacedLine]:
    """The page's lines with each table's cells joined into rows, a `| a | b |` line per row."""
    heights: list[list[PlacedLine]] = []
    for line in page:
        above = heights[-1][-1] if heights else None
        if above is not None and line.y is not None and above.y is not None and line.text.strip() and abs(
            above.y - line.y
        ) <= SAME_ROW_POINTS:
            heights[-1].append(line)
        else:
            heights.append([line])
    heights = [as_item(row) for row in heights]
    result: list[PlacedLine] = []
    start = 0
    while start < len(heights):
        end = start
        while end < len(heights) and len(heights[end]) >= 2:
            end += 1
        if end - start >= TABLE_MIN_ROWS:
            for row in heights[start:end]:
                row = sorted(row, key=lambda cell: cell.x if cell.x is not None else 0.0)
                texts = [" ".join(cell.text.split()) for cell in row]
                if any(LEADERS.fullmatch(text) for text in texts):
                    result.append(PlacedLine(" ".join(texts), row[0].x, row[0].y, row[0].size))
                else:
                    result.append(PlacedLine(f"| {' | '.join(texts)} |", row[0].x, row[0].y))
            start = end
        else:
            result.extend(heights[start])
            start += 1
    return result


def as_item(row: list[PlacedLine]) -> list[PlacedLine]:
    """A row of a list item's marker and its text as one line, "• text"; any other row as it is."""
    if len(row) != 2:
        return row
    marker, item = sorted(row, key=lambda cell: cell.x if cell.x is not None else 0.0)
    if not ITEM_MARKER.fullmatch(marker.text) or ITEM_MARKER.fullmatch(item.text):
        return row
    return [PlacedLine(f"• {item.text.strip()}", marker.x, item.y, item.size)]
