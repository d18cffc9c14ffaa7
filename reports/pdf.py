"""The report as a standalone HTML document and as PDF (WeasyPrint), both from the same template.

The document carries its stylesheet inline and its charts as data: URIs, so it opens offline and
WeasyPrint needs nothing from outside. The URL fetcher refuses every URL except data: URIs and
files among our own static files: rendering never touches the network.
"""

import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

STYLESHEET = "css/report.css"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF (structure, language, alt texts) for screen readers


def document_css():
    return Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")


def render_document(snapshot):
    """The full HTML document (lang="sv", inline CSS) that is stored, downloaded and turned into the PDF."""
    return render_to_string("reports/document.html", {"s": snapshot, "css": document_css()})


def _static_roots():
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """data: URIs and our own static files only; anything else (http, other files) is refused."""

        def __init__(self):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if any(path.is_relative_to(root) for root in _static_roots()) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            logger.warning("Report PDF: refused to fetch %s", url[:200])
            raise ValueError(f"Refused to fetch {url[:200]}")

    return StaticOnlyFetcher()


def render_pdf(html):
    """PDF bytes of the document; tagged PDF/UA-1."""
    from weasyprint import HTML

    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)
