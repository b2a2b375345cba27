"""Pages sent compressed: the busiest dashboard is 234 KB of HTML and 13 KB gzipped, and a
person on a hotel connection waits longer for the transfer than for the server.

Django's GZipMiddleware, for text only (HTML, htmx fragments, JSON, CSV, JavaScript, SVG): the
PDF, DOCX and XLSX reports and evidence files are compressed already or binary, and spending CPU
on them gains nothing. In production the reverse proxy compresses as well; it leaves a response
that already says `Content-Encoding` alone. Why this is safe against BREACH: docs/compression.md.
"""

from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class CompressTextMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
