"""The benchmark's results as plain data, a printed table, JSON files and a Markdown summary.

Pure functions over dictionaries: the command measures, these say what the figures mean
against the targets of the performance work (docs/performance.md).
"""

import json
from pathlib import Path

# Issue 10: every page's p95 with nothing cached within 10× the trivial view's.
PAGE_COLD_P95_RATIO = 10.0
CSV_ROWS_PER_SECOND = 50_000
CSV_PEAK_MB = 150
XLSX_ROWS_PER_SECOND = 10_000
DOCUMENT_SECONDS = 3.0
PDF_SECONDS = 1.5  # issue 14: Resolution 493's report at size S
DIGEST_SECONDS = 20.0
MODES = ("cold", "warm")


# Measured for comparison, not judged: the trivial view, and the bare layout (base.html with an
# empty page), the floor under every real page.
REFERENCE_PAGES = ("trivial", "layout")


def page_rows(pages: list[dict]) -> list[dict]:
    """Each page with its ratios to the trivial view measured in the same run and mode."""
    trivial = next(p for p in pages if p["name"] == "trivial")
    rows = []
    for page in pages:
        row = dict(page)
        for mode in MODES:
            figures = dict(page[mode])
            figures["p50_ratio"] = round(figures["p50_ms"] / trivial[mode]["p50_ms"], 2)
            figures["p95_ratio"] = round(figures["p95_ms"] / trivial[mode]["p95_ms"], 2)
            row[mode] = figures
        row["meets_target"] = (
            page["name"] in REFERENCE_PAGES or row["cold"]["p95_ratio"] <= PAGE_COLD_P95_RATIO
        )
        rows.append(row)
    return rows


def export_verdict(scope: str, figures: dict) -> bool | None:
    """Whether an export meets its target; None where no target applies."""
    if "error" in figures:
        return False
    fmt = figures["format"]
    if fmt == "csv":
        return (
            figures["rows_per_second"] >= CSV_ROWS_PER_SECOND
            and figures["peak_rss_mb"] < CSV_PEAK_MB
        )
    if fmt == "xlsx":
        return figures["rows_per_second"] >= XLSX_ROWS_PER_SECOND
    if scope == "resolution":
        limit = PDF_SECONDS if fmt == "pdf" else DOCUMENT_SECONDS
        return figures["seconds"] < limit
    return None


def table(results: dict) -> str:
    """The figures as a terminal reads them."""
    lines = [
        f"Benchmark at size {results['size']} on {results['database']}: "
        f"{results['data']['actions']:,} actions, {results['data']['evidence']:,} evidence "
        f"records, {results['data']['resolutions']} resolutions; {results['repeat']} rounds "
        f"after {results['warmup']} warm-up requests",
        "",
        f"{'page':<11} {'cold p50':>8} {'cold p95':>8} {'×p95':>6} {'warm p50':>8} "
        f"{'warm p95':>8} {'×p95':>6} {'queries':>7} {'KB':>6} {'gz KB':>6}  target",
    ]
    for row in results["pages"]:
        verdict = "met" if row["meets_target"] else "MISSED"
        verdict = "" if row["name"] in REFERENCE_PAGES else verdict
        cold, warm = row["cold"], row["warm"]
        lines.append(
            f"{row['name']:<11} {cold['p50_ms']:>8.2f} {cold['p95_ms']:>8.2f} "
            f"{cold['p95_ratio']:>6.2f} {warm['p50_ms']:>8.2f} {warm['p95_ms']:>8.2f} "
            f"{warm['p95_ratio']:>6.2f} {row['queries']:>7} {row['bytes'] / 1024:>6.1f} "
            f"{row['gzip_bytes'] / 1024:>6.1f}  {verdict}"
        )
    if results.get("exports"):
        lines += [
            "",
            f"{'export':<16} {'rows':>8} {'s':>8} {'rows/s':>9} {'peak MB':>8} {'pages':>6} "
            f"{'answered':<10}  target",
        ]
        for scope, formats in results["exports"].items():
            for figures in formats:
                lines.append(_export_line(scope, figures))
    if results.get("digests"):
        d = results["digests"]
        lines += [
            "",
            f"digests: {d['users']} people in {d['seconds']} s ({d['ms_per_user']} ms each), "
            f"{d['queries']} queries ({d['queries_per_user']} per person, at most "
            f"{d.get('max_queries_per_user')}), {d['messages']} messages; "
            f"target < {DIGEST_SECONDS:.0f} s: "
            + ("met" if d["seconds"] < DIGEST_SECONDS else "MISSED"),
        ]
    return "\n".join(lines)


def _export_line(scope: str, figures: dict) -> str:
    name = f"{scope} {figures['format']}"
    if "error" in figures:
        return f"{name:<16} {figures['error']}"
    verdict = {True: "met", False: "MISSED", None: ""}[figures["verdict"]]
    return (
        f"{name:<16} {figures['rows']:>8,} {figures['seconds']:>8.2f} "
        f"{figures['rows_per_second'] or 0:>9,} {figures['peak_rss_mb']:>8.1f} "
        f"{figures.get('pages') or '':>6} {answered(figures):<10}  {verdict}"
    )


def answered(figures: dict) -> str:
    """How a person gets this export at the project's own background threshold."""
    background = figures.get("in_background")
    return {True: "background", False: "download", None: ""}[background]


def write_json(results: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = results["finished_at"].replace(":", "").replace("-", "")[:15]
    path = folder / f"bench-{results['size']}-{stamp}.json"
    text = json.dumps(results, indent=2, ensure_ascii=False)
    path.write_text(text)
    (folder / f"latest-{results['size']}.json").write_text(text)
    return path


def load_latest(folder: Path) -> dict[str, dict]:
    """The latest results per size, as written by write_json."""
    found = {}
    for size in ("S", "M", "L"):
        path = folder / f"latest-{size}.json"
        if path.exists():
            found[size] = json.loads(path.read_text())
    return found


def _by_queries(digests: dict) -> str:
    found = digests.get("people_by_queries", {})
    return ", ".join(f"{count} made {made}" for made, count in found.items()) or "not counted"


def query_comparison(latest: dict[str, dict]) -> list[dict]:
    """Queries per page at each size measured, and whether they are the same everywhere."""
    sizes = [s for s in ("S", "M", "L") if s in latest]
    names = [p["name"] for p in latest[sizes[0]]["pages"]] if sizes else []
    rows = []
    for name in names:
        counts = {}
        for size in sizes:
            page = next((p for p in latest[size]["pages"] if p["name"] == name), None)
            if page:
                counts[size] = page["queries"]
        rows.append({"page": name, **counts, "constant": len(set(counts.values())) == 1})
    # The most queries one person's digest made: an average would move with how many nations
    # happen to have nothing stale (one query fewer), not with the size of the data.
    digest_counts = {
        size: latest[size]["digests"].get("max_queries_per_user")
        for size in sizes
        if latest[size].get("digests")
    }
    if digest_counts:
        rows.append(
            {
                "page": "digest (most queries for one person)",
                **digest_counts,
                "constant": len(set(digest_counts.values())) == 1,
            }
        )
    return rows


def markdown(latest: dict[str, dict]) -> str:
    """The summary docs/performance.md carries: every size measured, pages, exports, digests."""
    out = []
    for size, results in latest.items():
        data = results["data"]
        out += [
            f"### Size {size}: {data['resolutions']} resolutions, {data['actions']:,} actions, "
            f"{data['evidence']:,} evidence records, {data['users']} users",
            "",
            f"{results['database']}, {results['repeat']} rounds after {results['warmup']} "
            f"warm-up requests, run finished {results['finished_at']}.",
            "",
            "| page | cold p50 ms | cold p95 ms | cold p95 ÷ trivial | warm p50 ms | "
            "warm p95 ms | warm p95 ÷ trivial | queries | HTML KB | gzip KB | target |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in results["pages"]:
            verdict = "met" if row["meets_target"] else "**missed**"
            verdict = "" if row["name"] in REFERENCE_PAGES else verdict
            cold, warm = row["cold"], row["warm"]
            out.append(
                f"| {row['description']} | {cold['p50_ms']:.2f} | {cold['p95_ms']:.2f} | "
                f"{cold['p95_ratio']:.2f} | {warm['p50_ms']:.2f} | {warm['p95_ms']:.2f} | "
                f"{warm['p95_ratio']:.2f} | {row['queries']} | {row['bytes'] / 1024:.1f} | "
                f"{row['gzip_bytes'] / 1024:.1f} | {verdict} |"
            )
        if results.get("exports"):
            out += [
                "",
                "| export | actions | seconds | rows/s | peak RSS MB | size KB | pages "
                "| answered as | target |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
            ]
            for scope, formats in results["exports"].items():
                for f in formats:
                    if "error" in f:
                        out.append(f"| {scope} {f['format']} | | | | | | | | {f['error']} |")
                        continue
                    verdict = {True: "met", False: "**missed**", None: ""}[f["verdict"]]
                    out.append(
                        f"| {scope} {f['format'].upper()} | {f['rows']:,} | {f['seconds']:.2f} | "
                        f"{f['rows_per_second'] or 0:,} | {f['peak_rss_mb']:.0f} | "
                        f"{f['bytes'] // 1024:,} | {f.get('pages') or ''} | {answered(f)} | "
                        f"{verdict} |"
                    )
        if results.get("digests"):
            d = results["digests"]
            out += [
                "",
                f"Digests: {d['users']:,} people in {d['seconds']} s of task time "
                f"({d['ms_per_user']} ms each), {d['queries']:,} queries "
                f"({d['queries_per_user']} per person; people by queries made: "
                f"{_by_queries(d)}), {d['messages']} messages sent "
                f"({', '.join(f'{k}: {v}' for k, v in d['outcomes'].items())}).",
            ]
        out.append("")
    comparison = query_comparison(latest)
    if comparison:
        sizes = [s for s in ("S", "M", "L") if s in latest]
        out += [
            "### Queries per page at each size",
            "",
            "| page | " + " | ".join(sizes) + " | same at every size |",
            "| --- | " + " | ".join("---:" for _ in sizes) + " | --- |",
        ]
        for row in comparison:
            cells = " | ".join(str(row.get(s, "")) for s in sizes)
            out.append(f"| {row['page']} | {cells} | {'yes' if row['constant'] else '**no**'} |")
    return "\n".join(out) + "\n"


def comparison_markdown(before: dict[str, dict], after: dict[str, dict]) -> str:
    """Before and after, page by page, for every size both runs measured: each mode's p50 and
    p95 as ratios to the trivial view of the same run (p50 is the steadier on a busy machine),
    the cold p95 in milliseconds, queries and HTML size."""
    out = []
    for size in ("S", "M", "L"):
        if size not in before or size not in after:
            continue
        old = {p["name"]: p for p in before[size]["pages"]}
        out += [
            f"#### Size {size}",
            "",
            "| page | cold p50 ÷ trivial | cold p95 ÷ trivial | warm p50 ÷ trivial "
            "| warm p95 ÷ trivial | cold p95 ms | queries | HTML KB (gzip) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in after[size]["pages"]:
            was = old.get(row["name"])

            def pair(mode, key, fmt, was=was, row=row):
                then = f"{was[mode][key]:{fmt}}" if was else "–"
                return f"{then} → {row[mode][key]:{fmt}}"

            queries = f"{was['queries']} → {row['queries']}" if was else f"– → {row['queries']}"
            size_kb = (
                f"{was['bytes'] / 1024:.0f} ({was['gzip_bytes'] / 1024:.0f}) → " if was else "– → "
            ) + f"{row['bytes'] / 1024:.0f} ({row['gzip_bytes'] / 1024:.0f})"
            out.append(
                f"| {row['name']} | {pair('cold', 'p50_ratio', '.1f')} | "
                f"{pair('cold', 'p95_ratio', '.1f')} | {pair('warm', 'p50_ratio', '.1f')} | "
                f"{pair('warm', 'p95_ratio', '.1f')} | {pair('cold', 'p95_ms', '.0f')} | "
                f"{queries} | {size_kb} |"
            )
        out += _exports_compared(
            before[size].get("exports") or {}, after[size].get("exports") or {}
        )
        out.append("")
    return "\n".join(out) + "\n"


def _exports_compared(before: dict, after: dict) -> list[str]:
    """Each export both runs made: seconds, peak memory, size, PDF pages and how it is answered
    at the real background threshold, before → after."""
    rows = []
    for scope, formats in after.items():
        old = {f["format"]: f for f in before.get(scope, []) if "error" not in f}
        for new in formats:
            was = old.get(new["format"])
            if was is None or "error" in new:
                continue

            def pair(key, fmt, was=was, new=new):
                then, now = was.get(key), new.get(key)
                return " → ".join(f"{v:{fmt}}" if v is not None else "–" for v in (then, now))

            rows.append(
                f"| {scope} {new['format'].upper()} | {was['rows']:,} → {new['rows']:,} | "
                f"{pair('seconds', '.2f')} | {pair('peak_rss_mb', '.0f')} | "
                f"{was['bytes'] // 1024:,} → {new['bytes'] // 1024:,} | {pair('pages', 'd')} | "
                f"{answered(was) or '–'} → {answered(new)} |"
            )
    if not rows:
        return []
    return [
        "",
        "| export | actions | seconds | peak RSS MB | size KB | pages | answered as |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *rows,
    ]
