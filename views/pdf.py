"""PDF responses rendered by WeasyPrint from an HTML template (CJK fonts from Debian's fonts-noto-cjk)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response
from weasyprint import HTML


def _no_fetching(url: str, *args, **kwargs):
    """PDF templates carry their styles inline; nothing is ever fetched while printing."""
    raise ValueError(f"PDF rendering does not fetch {url}")


def pdf_bytes(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def pdf_response(html: str, filename: str) -> Response:
    response = Response(pdf_bytes(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
