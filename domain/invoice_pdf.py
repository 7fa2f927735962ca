"""An invoice as a PDF (fpdf2): the layout only. The handler layer supplies every text already translated and
formatted, so the document reads in the customer's language. DejaVu Sans ships with the package (Cyrillic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "assets" / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class InvoiceDocument:
    title: str  # "Invoice 2026-000123"
    meta: list[str]  # issue date, due date, status
    seller_heading: str
    seller: list[str]
    buyer_heading: str
    buyer: list[str]
    columns: tuple[str, str]  # "Description", "Amount"
    lines: list[tuple[str, str]]
    totals: list[tuple[str, str]]  # subtotal, VAT, total: the last one is printed bold
    notes: list[str] = field(default_factory=list)  # payment instructions
    author: str = ""
    created: datetime | None = None  # the issue time: the same invoice renders to the same bytes


def render_pdf(doc: InvoiceDocument) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(doc.title)
    pdf.set_author(doc.author)
    if doc.created is not None:
        pdf.set_creation_date(doc.created)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def block(lines: list[str], size: float = 10, style: str = "") -> None:
        pdf.set_font(FONT, style, size)
        for line in lines:
            pdf.multi_cell(width, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    block([doc.title], 18, "B")
    pdf.ln(2)
    block(doc.meta)
    pdf.ln(4)
    block([doc.seller_heading], 11, "B")
    block(doc.seller)
    pdf.ln(3)
    block([doc.buyer_heading], 11, "B")
    block(doc.buyer)
    pdf.ln(5)

    pdf.set_font(FONT, "", 10)
    with pdf.table(col_widths=(4, 1), text_align=("LEFT", "RIGHT"), line_height=6,
                   headings_style=FontFace(emphasis="BOLD"), first_row_as_headings=True) as table:
        heading = table.row()
        for title in doc.columns:
            heading.cell(title)
        for description, amount in doc.lines:
            row = table.row()
            row.cell(description)
            row.cell(amount)
    pdf.ln(3)
    for index, (label, amount) in enumerate(doc.totals):
        pdf.set_font(FONT, "B" if index == len(doc.totals) - 1 else "", 11)
        pdf.cell(width * 0.8, 7, label, align="R")
        pdf.cell(width * 0.2, 7, amount, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if doc.notes:
        pdf.ln(6)
        block(doc.notes)
    return bytes(pdf.output())
