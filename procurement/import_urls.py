"""URLs of the Excel import (template download, upload, preview, confirm)."""

urlpatterns = []
