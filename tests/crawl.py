"""Walk a partnership's pages as one person: links from a start page, breadth first, a few of each kind of
page, and ask ``inspect`` what each answer shows that it should not."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

SKIP = re.compile(r"(\.csv|\.pdf|\.zip|\.json)$|/accounts/logout|/api/|/edit/json/|/export\.json|/admin/|\?page=\d{2,}")
# Each kind of page is visited a few times: numbers, UUIDs and URNs made alike.
KIND = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"/\d+(?=/|$)"), "/<n>"),
    (re.compile(r"\?.*$"), "?<q>"),
]
PER_KIND = 2
MAX_PAGES = 120


class _Text(HTMLParser):
    """The text a reader sees in <main>, and its links."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.hidden = 0
        self.text = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style", "template"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if self.depth > 0 and not self.hidden:
            self.text.append(data)


def _kind(path: str) -> str:
    for pattern, replacement in KIND:
        path = pattern.sub(replacement, path)
    return path


def crawl(client, start: str, inspect, *, skip=SKIP, max_pages: int = MAX_PAGES) -> dict[str, list[str]]:
    """``inspect(url, response, parser)`` returns the problems of one answer; ``parser`` is None unless it is
    an HTML page. Only links ``skip`` does not match are followed. Returns the problems by URL."""
    seen_kinds: dict[str, int] = {}
    visited, problems = set(), {}
    queue = deque([start])
    while queue and len(visited) < max_pages:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code != 200:
            continue
        parser = None
        if "text/html" in response.get("Content-Type", ""):
            parser = _Text()
            parser.feed(response.content.decode())
        found = inspect(url, response, parser)
        if found:
            problems[url] = found
        if parser is None:
            continue
        for href in parser.links:
            href = urldefrag(href)[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or skip.search(href):
                continue
            kind = _kind(href)
            if seen_kinds.get(kind, 0) >= PER_KIND:
                continue
            seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
            queue.append(href)
    return problems
