"""Invoices as PDF documents, rendered with WeasyPrint from an HTML template."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.template.loader import render_to_string

from .models import Invoice

SELLER = {
    "name": "Seatwise Software Ltd.",
    "address": ["1 Example Street", "Dublin D02 XY00", "Ireland"],
    "vat_id": "IE0000000X",
    "email": "billing@seatwise.example",
}


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF: seller, buyer, tenant, lines, tax-free totals, number, dates, payment status."""
    from weasyprint import CSS, HTML  # imported on first use: it is slow to load

    html = render_to_string(
        "purchases/invoice_pdf.html",
        {"invoice": invoice, "lines": invoice.lines.all(), "seller": getattr(settings, "SEATWISE_SELLER", SELLER)},
    )
    stylesheet = CSS(filename=finders.find("css/invoice.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])


def invoice_filename(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def pdf_response(invoice: Invoice) -> FileResponse:
    """The invoice PDF as a download."""
    response = FileResponse(iter([render_invoice_pdf(invoice)]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice_filename(invoice)}"'
    return response
