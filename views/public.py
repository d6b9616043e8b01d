"""The public results page (/public/): no login, published results only, cached.

Rendered pages are kept in a small per-process cache keyed by URL; a copy is used only while the
public cache generation (bumped by every change that may alter what the public sees) is unchanged.
Each process reads the generation at most once every PUBLIC_CACHE_CHECK_SECONDS (default 1).
PUBLIC_CACHE_SIZE is the number of pages kept (default 512; 0, the default under tests, turns it off).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, url_for

from domain import public
from domain.clock import today
from domain.public import PublicFilters
from domain.publication import current_public_generation
from printing.render import pdf_response, render_pdf

bp = Blueprint("public", __name__, url_prefix="/public")
CACHE_CONTROL = "public, max-age=60"


@dataclass
class CachedPage:
    generation: int
    body: bytes
    mimetype: str
    status: int
    headers: dict[str, str]


class PageCache:
    """A bounded LRU of rendered public responses, valid for one generation."""

    def __init__(self) -> None:
        self.pages: OrderedDict[str, CachedPage] = OrderedDict()
        self.counts: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()
        self.generation = -1
        self.checked_at = 0.0

    def current_generation(self, check_seconds: float) -> int:
        now = time.monotonic()
        if now - self.checked_at >= check_seconds:
            self.generation = current_public_generation()
            self.checked_at = now
        return self.generation

    def get(self, key: str, generation: int) -> CachedPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None or page.generation != generation:
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage, size: int) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > size:
                self.pages.popitem(last=False)

    def count(self, filters: PublicFilters, size: int) -> int:
        """The number of results of a search, shared by all its pages within one generation."""
        key = repr(filters.as_args(page=None))
        with self.lock:
            known = self.counts.get(key)
        if known is not None and known[0] == self.generation and size:
            return known[1]
        total = public.count(filters)
        with self.lock:
            self.counts[key] = (self.generation, total)
            while len(self.counts) > size:
                self.counts.pop(next(iter(self.counts)))
        return total


CACHE = PageCache()


def _cache_size() -> int:
    return current_app.config.get("PUBLIC_CACHE_SIZE", 0 if current_app.testing else 512)


def _cache_key() -> str:
    return request.full_path


def cached(view):
    """Serve a stored copy while nothing public changed; store what the view renders."""

    def wrapper(*args, **kwargs):
        size = _cache_size()
        generation = CACHE.current_generation(current_app.config.get("PUBLIC_CACHE_CHECK_SECONDS", 1.0)) if size else 0
        page = CACHE.get(_cache_key(), generation) if size else None
        if page is None:
            response = view(*args, **kwargs)
            page = CachedPage(generation, response.get_data(), response.mimetype, response.status_code,
                              {k: v for k, v in response.headers.items() if k == "Content-Disposition"})
            if size:
                CACHE.put(_cache_key(), page, size)
        return _public_response(page)

    wrapper.__name__ = view.__name__
    return wrapper


def _public_response(page: CachedPage) -> Response:
    response = Response(page.body, status=page.status, mimetype=page.mimetype, headers=page.headers)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    if page.status == 200:
        response.add_etag()
        response.make_conditional(request)
    return response


def _not_found():
    html = render_template("public/not_found.html")
    return Response(html, status=404, mimetype="text/html")


@bp.route("/")
@cached
def index():
    filters = PublicFilters.parse(request.args)
    total = CACHE.count(filters, _cache_size())
    results = public.page(filters)
    pages = max(1, -(-total // public.PAGE_SIZE))
    return Response(render_template(
        "public/index.html", filters=filters, results=results, total=total, pages=pages,
        options=public.filter_options(),
    ), mimetype="text/html")


@bp.route("/<int:suggestion_id>")
@cached
def detail(suggestion_id: int):
    found = public.result(suggestion_id)
    if found is None:
        return _not_found()
    return Response(render_template("public/detail.html", result=found), mimetype="text/html")


@bp.route("/<int:suggestion_id>.pdf")
@cached
def detail_pdf(suggestion_id: int):
    found = public.result(suggestion_id)
    if found is None:
        return _not_found()
    html = render_template("public/pdf_detail.html", result=found, printed_on=today())
    return pdf_response(render_pdf(html), f"{found.suggestion.display_number}.pdf")


@bp.route("/list.pdf")
@cached
def list_pdf():
    filters = PublicFilters.parse(request.args)
    results = public.listing(filters)
    html = render_template("public/pdf_list.html", results=results, limit=public.PDF_LIST_LIMIT, printed_on=today())
    return pdf_response(render_pdf(html), "建议办理结果公开.pdf")


@bp.app_template_global()
def public_url(filters: PublicFilters, **changes) -> str:
    return url_for("public.index", **filters.as_args(**changes))

