"""HTML → PDF with WeasyPrint, reusing one font configuration per process: the one pipeline of every PDF.

The font stack puts the subset CJK font (printing.fonts) first and the full Debian Noto CJK fonts after it,
so that a character missing from the subset (a rare character in a name) is still drawn. Templates carry
their styles inline; nothing but the subset font files is ever fetched while printing.
"""
from __future__ import annotations

import logging
import threading
from functools import cache
from pathlib import Path
from urllib.parse import quote

from flask import Response, current_app
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from printing.fonts import DEFAULT_FONT_DIR, SUBSET_FAMILY, WEIGHTS, subset_path

LOGGER = logging.getLogger(__name__)
FALLBACK_FAMILIES = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'


class FontFilesOnly(URLFetcher):
    """Reads the font subset's own files; any other URL in a document (images, links, remote styles) is refused."""

    def __init__(self, font_dir: Path) -> None:
        super().__init__(allowed_protocols={"file"})
        self.prefix = font_dir.resolve().as_uri() + "/"

    def fetch(self, url, headers=None):
        if not url.startswith(self.prefix) or ".." in url:
            raise ValueError(f"PDF rendering does not fetch {url}")
        return super().fetch(url, headers)


class PdfRenderer:
    """Renders HTML to PDF bytes with one font configuration and stylesheet, built once."""

    def __init__(self, font_css: str, font_dir: Path) -> None:
        self.fetcher = FontFilesOnly(font_dir)
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(string=font_css, font_config=self.font_config, url_fetcher=self.fetcher)
        self._lock = threading.Lock()  # a font configuration is not safe to share between threads at once

    def render(self, html: str) -> bytes:
        with self._lock:
            document = HTML(string=html, url_fetcher=self.fetcher)
            return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)


def cjk_font_css(font_dir: Path) -> str:
    """@font-face rules for the subset (when built) and the font stack with its fallbacks."""
    faces = []
    for weight in WEIGHTS:
        path = subset_path(font_dir, weight)
        if path.exists():
            css_weight = "bold" if weight == "Bold" else "normal"
            faces.append(f'@font-face {{ font-family: "{SUBSET_FAMILY}"; font-weight: {css_weight}; '
                         f'src: url("{path.resolve().as_uri()}"); }}')
    if not faces:
        LOGGER.warning("CJK font subset missing in %s (run scripts/setup); using the full Noto CJK fonts.", font_dir)
    return "\n".join(faces) + f'\nhtml {{ font-family: "{SUBSET_FAMILY}", {FALLBACK_FAMILIES}; }}\n'


@cache
def _renderer_for(font_dir: str) -> PdfRenderer:
    return PdfRenderer(cjk_font_css(Path(font_dir)), Path(font_dir))


def renderer() -> PdfRenderer:
    """The process's CJK renderer (font directory from FONT_DIR, default instance/fonts)."""
    return _renderer_for(str(current_app.config.get("FONT_DIR") or DEFAULT_FONT_DIR))


def render_pdf(html: str) -> bytes:
    return renderer().render(html)


def pdf_response(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
