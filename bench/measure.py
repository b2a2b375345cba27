"""Timing pages the way a server sees them: each request goes through the full middleware stack
(sessions, authentication, CSRF, htmx, history) with Django's test client, in this process, so
the figures are server-side latency without the network. Pages are asked for by URL only: the
benchmark never imports a view.

Every page is measured twice:
- **cold**: Django's cache is emptied before every request, so nothing the application (or a
  future change) keeps in a cache can help: what a request costs on a worker that has not seen
  it, or right after a change to the data;
- **warm**: the same request again and again, caches left alone.

Pages are measured round-robin, the trivial view among them: every round requests each page
once, so a noisy moment on a shared machine slows every page alike and the ratios stay honest.
"""

import gzip
import statistics
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY

MODES = ("cold", "warm")


@dataclass
class Page:
    name: str
    description: str
    url: str
    user: object
    headers: dict = field(default_factory=dict)


@dataclass
class PageResult:
    name: str
    description: str
    url: str
    queries: int
    bytes: int
    gzip_bytes: int
    samples: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in MODES})


def percentile(samples: list[float], pct: float) -> float:
    """The nearest-rank percentile: a value that was actually observed."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceiling without floats
    return ordered[int(rank) - 1]


class BadResponse(RuntimeError):
    """A measured page did not answer 200: timing an error page would mean nothing."""


def clients_for(pages: list[Page]) -> dict[int, Client]:
    clients = {}
    for page in pages:
        if page.user.pk not in clients:
            clients[page.user.pk] = signed_in(page.user)
    return clients


def signed_in(user) -> Client:
    """A test client signed in as `user`. The benchmark times pages and exports, not signing
    in: its people count as having given their second factor (the generated secretaries have
    no authenticator)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = "benchmark"
    session.save()
    return client


def measure_pages(pages: list[Page], *, repeat: int, warmup: int) -> list[PageResult]:
    clients = clients_for(pages)
    results = {}
    for page in pages:
        client = clients[page.user.pk]
        for _ in range(warmup):
            get(client, page)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = get(client, page)
        body = response.content
        results[page.name] = PageResult(
            page.name,
            page.description,
            page.url,
            len(queries),
            len(body),
            len(gzip.compress(body, compresslevel=6)),
        )
    for _ in range(repeat):
        for mode in MODES:
            for page in pages:
                client = clients[page.user.pk]
                if mode == "cold":
                    cache.clear()
                started = time.perf_counter()
                get(client, page)
                results[page.name].samples[mode].append(time.perf_counter() - started)
    return [results[page.name] for page in pages]


def get(client: Client, page: Page):
    # HTTPS, as behind the production proxy (DEBUG off redirects plain HTTP).
    response = client.get(page.url, headers=page.headers, secure=True)
    if response.status_code != 200:
        raise BadResponse(f"{page.name}: {page.url} answered {response.status_code}")
    return response


def summarise(samples: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(samples, 50) * 1000, 2),
        "p95_ms": round(percentile(samples, 95) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
        "n": len(samples),
    }
