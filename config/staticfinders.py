"""Serve plotly.js from the installed plotly package as static/vendor/plotly.min.js.

The charts then work offline and under a strict CSP without a CDN, and no copy of plotly.js is
kept in the repository: the file always matches the pinned plotly version.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGE_DATA = Path(plotly.__file__).parent / "package_data"
PUBLIC_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PACKAGE_DATA))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == PUBLIC_PATH:
            found = str(PACKAGE_DATA / "plotly.min.js")
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
