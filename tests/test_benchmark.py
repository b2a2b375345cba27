"""The benchmark (top-level bench/, `python -m bench`): seeding writes what the sizes promise,
the same seed writes the same data, and a run measures real pages through their URLs, cold and
warm, and says what the figures mean."""

import hashlib
import json

import pytest
from django.db import transaction

from bench import report
from bench.__main__ import main as bench
from bench.measure import percentile
from bench.scale import SIZES, seed_scale
from resolutions.models import (
    Evidence,
    ImplementationStatus,
    NationalAction,
    Resolution,
    User,
)

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _fingerprint() -> str:
    rows = NationalAction.objects.order_by(
        "commitment__label", "member__country", "title", "description"
    ).values_list("commitment__label", "member__country", "title", "review_state", "stage")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _seeded_fingerprint(seed: int) -> str:
    try:
        with transaction.atomic():
            seed_scale(SIZES["S"], seed=seed)
            found = _fingerprint()
            raise _Rollback
    except _Rollback:
        return found


def test_size_s_holds_what_it_promises(capsys):
    assert bench(["seed", "--size", "S"]) == 0
    assert "Size S, seed 1" in capsys.readouterr().out
    assert Resolution.objects.count() == 1
    resolution = Resolution.objects.get(number=493)
    assert resolution.commitments.count() == 12
    # 12 commitments × 32 nations × 3 actions: the report the performance targets name.
    assert NationalAction.objects.count() == 1152
    assert 1800 <= Evidence.objects.count() <= 2800
    assert set(ImplementationStatus.objects.values_list("status", flat=True)) == set(
        ImplementationStatus.Status.values
    )
    assert set(NationalAction.objects.values_list("review_state", flat=True)) == set(
        NationalAction.ReviewState.values
    )
    # Histories: a "created" row for every action, a "changed" row for every reviewed one.
    history = NationalAction.history.model.objects
    assert history.filter(history_type="+").count() == 1152
    reviewed = NationalAction.objects.exclude(reviewed_at=None).count()
    assert history.filter(history_type="~").count() == reviewed > 0
    # A sample of evidence carries real files that can be read back; the rest are links.
    stored = Evidence.objects.filter(kind=Evidence.Kind.FILE)
    assert stored.count() == SIZES["S"].real_files
    first = stored.first()
    assert first.file.read().startswith(b"%PDF-")
    assert hashlib.sha256(first.file.open().read()).hexdigest() == first.sha256
    # Every delegation has an editor; secretaries and viewers exist.
    editors = User.objects.filter(role=User.Role.EDITOR, username__startswith="scale-")
    assert editors.values("delegation").distinct().count() == 32
    assert User.objects.filter(role=User.Role.SECRETARY).exists()
    assert User.objects.filter(role=User.Role.VIEWER).exists()
    # Dates are spread: some commitments have had no update for months.
    dates = NationalAction.objects.values_list("updated_at", flat=True)
    assert (max(dates) - min(dates)).days > 300


def test_same_seed_same_data_other_seed_other_data():
    assert _seeded_fingerprint(7) == _seeded_fingerprint(7)
    assert _seeded_fingerprint(7) != _seeded_fingerprint(8)


def test_seeding_twice_is_refused_and_changes_nothing(capsys):
    assert bench(["seed", "--size", "S"]) == 0
    before = NationalAction.objects.count()
    assert bench(["seed", "--size", "S"]) == 1
    assert "already holds generated data" in capsys.readouterr().err
    assert NationalAction.objects.count() == before


def test_unknown_size_is_refused(capsys):
    with pytest.raises(SystemExit):
        bench(["seed", "--size", "XL"])
    assert "invalid choice" in capsys.readouterr().err
    assert not NationalAction.objects.exists()


def test_bench_on_an_empty_database_says_what_to_do(tmp_path, capsys):
    assert bench(["run", "--size", "S", "--pages-only", "--output", str(tmp_path)]) == 1
    assert "python -m bench seed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench(["run", "--output", str(tmp_path)])
    assert "--size" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--export-formats", "csv,odt", "Unknown export format: odt"),
        ("--export-scopes", "full,nation", "Unknown export scope: nation"),
    ],
)
def test_an_unknown_export_is_refused_before_measuring(tmp_path, capsys, option, value, message):
    assert bench(["seed", "--size", "S"]) == 0
    output = tmp_path / "bench"
    assert bench(["run", "--size", "S", option, value, "--output", str(output)]) == 1
    assert message in capsys.readouterr().err
    assert not output.exists()


def test_bench_measures_every_page_and_writes_json(tmp_path, capsys):
    seed_scale(SIZES["S"])
    code = bench(
        [
            "run",
            "--size",
            "S",
            "--repeat",
            "3",
            "--warmup",
            "1",
            "--digest-users",
            "20",
            "--no-exports",
            "--output",
            str(tmp_path),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    results = json.loads((tmp_path / "latest-S.json").read_text())
    names = [page["name"] for page in results["pages"]]
    assert names == [
        "trivial", "layout", "dashboard", "commitment", "matrix", "review", "search", "fragment",
    ]  # fmt: skip
    trivial, layout = results["pages"][:2]
    assert trivial["queries"] == 2  # the session and the user
    assert trivial["cold"]["p50_ratio"] == trivial["warm"]["p50_ratio"] == 1.0
    # The header names the editor's nation: one query (User.nation).
    assert layout["bytes"] > 1000 and layout["queries"] == 3
    for page in results["pages"]:
        for mode in ("cold", "warm"):
            assert page[mode]["n"] == 3 and page[mode]["p50_ms"] > 0
        assert page["queries"] > 0
        # Sizes raw and compressed: HTML compresses (the trivial "ok" does not).
        assert page["name"] == "trivial" or 0 < page["gzip_bytes"] < page["bytes"]
        assert page["name"] in printed
    assert results["data"]["actions"] == 1152
    digests = results["digests"]
    assert digests["users"] == 20 and digests["messages"] > 0
    assert sum(digests["people_by_queries"].values()) == 20
    assert digests["max_queries_per_user"] == max(map(int, digests["people_by_queries"]))
    # The digest recipients were rolled back.
    assert not User.objects.filter(username__startswith="bench-digest-").exists()

    assert bench(["summary", "--output", str(tmp_path)]) == 0
    summary = capsys.readouterr().out
    assert "### Size S" in summary and "| review queue, as a secretary |" in summary


def test_percentile_is_an_observed_value():
    samples = [0.005, 0.001, 0.003, 0.002, 0.004]
    assert percentile(samples, 50) == 0.003
    assert percentile(samples, 95) == 0.005
    assert percentile([0.7], 95) == 0.7
    with pytest.raises(ValueError):
        percentile([], 50)


def test_page_ratios_and_targets():
    def page(name, cold_p95, warm_p95=1.0):
        return {
            "name": name,
            "cold": {"p50_ms": cold_p95 / 2, "p95_ms": cold_p95},
            "warm": {"p50_ms": warm_p95 / 2, "p95_ms": warm_p95},
        }

    rows = report.page_rows(
        [
            page("trivial", 4.0, 2.0),
            page("fast", 40.0, 2.0),  # 10× cold: met, however it does warm
            page("slow", 40.4, 20.0),
            page("layout", 80.0),  # a reference, not judged
        ]
    )
    assert [(r["cold"]["p95_ratio"], r["warm"]["p95_ratio"], r["meets_target"]) for r in rows] == [
        (1.0, 1.0, True),
        (10.0, 1.0, True),
        (10.1, 10.0, False),
        (20.0, 0.5, True),
    ]


def test_before_and_after_compared_page_by_page():
    def run(dashboard_cold, queries):
        row = {
            "name": "dashboard",
            "queries": queries,
            "bytes": 240 * 1024,
            "gzip_bytes": 20 * 1024,
            "cold": {"p95_ms": dashboard_cold, "p50_ratio": 3.0, "p95_ratio": dashboard_cold / 2},
            "warm": {"p95_ms": 10.0, "p50_ratio": 2.0, "p95_ratio": 5.0},
        }
        return {"M": {"pages": [row]}}

    text = report.comparison_markdown(run(74.0, 9), run(12.0, 9))
    assert "#### Size M" in text
    assert (
        "| dashboard | 3.0 → 3.0 | 37.0 → 6.0 | 2.0 → 2.0 | 5.0 → 5.0 | 74 → 12 | 9 → 9 |"
        " 240 (20) → 240 (20) |"
    ) in text


def test_export_targets():
    csv_ok = {"format": "csv", "rows_per_second": 60_000, "peak_rss_mb": 120, "seconds": 1}
    assert report.export_verdict("full", csv_ok) is True
    assert report.export_verdict("full", {**csv_ok, "peak_rss_mb": 151}) is False
    assert report.export_verdict("full", {**csv_ok, "rows_per_second": 49_000}) is False
    assert report.export_verdict("full", {"format": "xlsx", "rows_per_second": 9_000}) is False
    assert report.export_verdict("resolution", {"format": "pdf", "seconds": 1.4}) is True
    assert report.export_verdict("resolution", {"format": "pdf", "seconds": 1.6}) is False
    assert report.export_verdict("resolution", {"format": "docx", "seconds": 2.9}) is True
    assert report.export_verdict("resolution", {"format": "docx", "seconds": 3.1}) is False
    assert report.export_verdict("full", {"format": "pdf", "seconds": 60}) is None
    assert report.export_verdict("full", {"format": "pdf", "error": "stopped"}) is False


def test_query_counts_compared_across_sizes():
    def run(dashboard_queries, per_person):
        return {
            "pages": [{"name": "dashboard", "queries": dashboard_queries}],
            "digests": {"queries_per_user": 7.1, "max_queries_per_user": per_person},
        }

    rows = report.query_comparison({"S": run(8, 11), "L": run(9, 11)})
    assert rows == [
        {"page": "dashboard", "S": 8, "L": 9, "constant": False},
        {"page": "digest (most queries for one person)", "S": 11, "L": 11, "constant": True},
    ]


def test_the_benchmark_stays_out_of_the_installed_package():
    """bench/ is a top-level folder that the wheel leaves out, and the application never
    imports it."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text())
    included = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not any(fnmatch.fnmatch("bench", pattern) for pattern in included)
    assert any(fnmatch.fnmatch("resolutions", pattern) for pattern in included)
    for path in [*(root / "resolutions").rglob("*.py"), *(root / "tracker").rglob("*.py")]:
        text = path.read_text()
        assert "import bench" not in text and "from bench" not in text, path


class _Counted(Exception):
    pass


def _queries_per_page(size) -> dict[str, int]:
    """Each benchmarked page's queries on data of `size`, seeded and rolled back."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.measure import clients_for, get
    from bench.pages import benchmark_pages

    counts = {}
    try:
        with transaction.atomic():
            seed_scale(size, seed=5)
            with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
                pages = benchmark_pages()
                clients = clients_for(pages)
                for page in pages:
                    get(clients[page.user.pk], page)  # sessions and the like settle first
                    with CaptureQueriesContext(connection) as queries:
                        get(clients[page.user.pk], page)
                    counts[page.name] = len(queries)
            raise _Counted
    except _Counted:
        return counts


def test_every_benchmarked_page_makes_the_same_queries_on_more_data():
    """What make bench compares from S to L, held here on two small sizes: three times the
    resolutions and about eight times the actions change no page's number of queries."""
    from bench.scale import Size

    small = _queries_per_page(Size("small", 2, (6, 8), 400, 0.5, 0, 40))
    larger = _queries_per_page(Size("larger", 6, (12, 16), 3_000, 1.0, 0, 40))
    assert set(small) >= {"dashboard", "commitment", "matrix", "review", "search", "fold"}
    assert larger == small
