"""Answers that carry protected data must never be kept by a browser or a proxy.

Every answer the service builds (pages, CSV and PDF downloads, API answers, sign-in pages) gets
``Cache-Control: no-store`` unless its view has set its own ``Cache-Control``. Static files are
served by WhiteNoise before this middleware runs, so they keep their long cache.
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
