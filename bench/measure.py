"""The measuring half of bench/run.sh (which starts and stops everything).

    python bench/measure.py pages BASE_URL            # print the public page paths, one a line
    python bench/measure.py snapshot BASE_URL STATIC_ROOT   # each page saved as a static file
    python bench/measure.py run BASE_URL STATIC_ROOT MASTER_PID SECONDS

`run` loads, for each page, its static copy, the page, and its static copy again with
`wrk -c 32 -t 2 -d SECONDS` and prints a table: requests/s, p50/p99 latency, the ratio to the
static copy's requests/s, non-2xx answers and socket errors. Then the uncached coordinator
lookup: every request asks for a place no request asked before (bench/wrk_lookup.lua), so the
page cache never answers; the HTML page and the JSON answer, each as a ratio to the static
copy of the lookup page. Then each gunicorn worker's memory. Exit status 1 when a target is
missed (pages: ratio ≥ 0.7, p99 < 50 ms; uncached lookups: ratio ≥ 0.15; zero errors).
BENCH_ONLY=lookup runs the lookups alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
TARGET_RATIO = 0.7
TARGET_P99_MS = 50.0
# Uncached lookups run the view every time (issue 16: 0.015× before the index was memoised).
TARGET_LOOKUP_RATIO = 0.15

# The public pages, by URL name (the benchmark must follow the site, not literal paths).
PAGES = [
    ("pages:home", {}, ""),
    ("pages:about", {}, ""),
    ("pages:accessibility", {}, ""),
    ("pages:privacy", {}, ""),
    ("helpline:detail", {}, ""),
    ("contacts:list", {}, ""),
    ("contacts:coordinators", {}, ""),
    ("contacts:coordinators", {}, "kommun=Mal%C3%A5"),
    ("nmt:index", {}, ""),
    ("newsletter:signup", {}, ""),
    ("newsletter:thanks", {}, ""),
    ("newsletter:archive", {}, ""),
    ("newsletter:feed", {}, ""),
    ("contacts:vcard", {"slug": "nspm"}, ""),
    ("search:results", {}, "q=st%C3%B6dtelefon"),
    ("search:sitemap", {}, ""),
    ("feedback:thanks", {"slug": "om-nspm"}, ""),
]


def page_paths() -> list[str]:
    sys.path.insert(0, str(HERE.parent))
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    paths = []
    for name, kwargs, query in PAGES:
        try:
            path = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            print(f"(skipped: no URL named {name})", file=sys.stderr)
            continue
        paths.append(f"{path}?{query}" if query else path)
    return paths


def fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.read()


def snapshot(base: str, directory: str) -> None:
    """Save each page as a static file (same bytes, same type): each page's yardstick."""
    mapping = {}
    target = Path(directory) / "bench"
    target.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(page_paths()):
        try:
            body = fetch(base + path)
        except urllib.error.HTTPError as exc:
            body = exc.read()
            print(f"bench: {path} answered {exc.code}", file=sys.stderr)
        (target / f"page-{number}.html").write_bytes(body)
        mapping[path] = f"/static/bench/page-{number}.html"
    (target / "pages.json").write_text(json.dumps(mapping))
    print(f"{len(mapping)} pages copied to {target} as static files")


@dataclass
class Result:
    label: str
    size: int
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int


def wrk(
    url: str, seconds: int, label: str, size: int, script: str = "wrk_report.lua", *args: str
) -> Result:
    command = [
        "wrk",
        f"-c{CONNECTIONS}",
        f"-t{THREADS}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(HERE / script),
        url,
    ]
    if args:
        command += ["--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    return Result(
        label=label,
        size=size,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non2xx=data["non2xx"],
        socket_errors=data["socket_errors"],
    )


def worker_memory(master_pid: int) -> list[tuple[int, int]]:
    """(pid, RSS in kB) of each child of the gunicorn master."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master_pid:
            workers.append((int(entry.name), int(fields["VmRSS"].split()[0])))
    return sorted(workers)


COLUMNS = (("bytes", 7), ("req/s", 8), ("p50 ms", 7), ("p99 ms", 7), ("ratio", 6))
COLUMNS += (("non-2xx", 7), ("sock err", 8))


def _header(first: str) -> None:
    header = f"{first:<46} " + " ".join(f"{name:>{width}}" for name, width in COLUMNS)
    print(header)
    print("-" * len(header))


def _row(result: Result, ratio: float | None) -> None:
    shown = f"{ratio:>6.2f}" if ratio is not None else f"{'':>6}"
    print(
        f"{result.label:<46} {result.size:>7} {result.rps:>8.0f} {result.p50_ms:>7.2f} "
        f"{result.p99_ms:>7.2f} {shown} {result.non2xx:>7} {result.socket_errors:>8}",
        flush=True,
    )


def _problems(result: Result, ratio: float | None, target: float, p99: bool) -> list[str]:
    problems = []
    if ratio is not None and ratio < target:
        problems.append(f"ratio {ratio:.2f} < {target}")
    if p99 and result.p99_ms >= TARGET_P99_MS:
        problems.append(f"p99 {result.p99_ms:.1f} ms ≥ {TARGET_P99_MS:.0f} ms")
    if result.non2xx or result.socket_errors:
        problems.append(f"{result.non2xx} bad answers, {result.socket_errors} socket errors")
    return [f"{result.label.strip()}: {', '.join(problems)}"] if problems else []


def _run_pages(base: str, copies: dict, sizes: dict, seconds: int) -> list[str]:
    _header("page")
    missed = []
    # The machine's load drifts (other processes, CPU boost), so the yardstick is measured
    # right before and right after each page.
    for path, copy in copies.items():
        before = wrk(base + copy, seconds, "  static copy, before", sizes[path])
        page = wrk(base + path, seconds, path, sizes[path])
        after = wrk(base + copy, seconds, "  static copy, after", sizes[path])
        ratio = page.rps / ((before.rps + after.rps) / 2)
        for result, shown in ((before, None), (page, ratio), (after, None)):
            _row(result, shown)
            missed += _problems(result, shown, TARGET_RATIO, p99=True)
    return missed


def _run_lookups(base: str, copies: dict, sizes: dict, seconds: int) -> list[str]:
    """The lookup page and its JSON, a distinct place in every request (none cached)."""
    import django

    sys.path.insert(0, str(HERE.parent))
    django.setup()
    from django.urls import reverse

    page, answer = reverse("contacts:coordinators"), reverse("contacts:coordinators_json")
    copy, size = copies[page], sizes[page]
    print(
        "\nUncached coordinator lookups: a place no request asked before in every request "
        "(non-2xx here counts 5xx only: an unknown place is an answer).\n"
    )
    _header("lookup")
    before = wrk(base + copy, seconds, "  static copy of the lookup page, before", size)
    html = wrk(base, seconds, f"{page}?kommun=… (uncached)", size, "wrk_lookup.lua", page)
    as_json = wrk(base, seconds, f"{answer}?kommun=… (uncached)", 0, "wrk_lookup.lua", answer)
    after = wrk(base + copy, seconds, "  static copy of the lookup page, after", size)
    static = (before.rps + after.rps) / 2
    missed = []
    for result, ratio in (
        (before, None),
        (html, html.rps / static),
        (as_json, as_json.rps / static),
    ):
        _row(result, ratio)
        missed += _problems(result, ratio, TARGET_LOOKUP_RATIO, p99=False)
    _row(after, None)
    missed += _problems(after, None, TARGET_LOOKUP_RATIO, p99=False)
    return missed


def _report_memory(master_pid: int) -> None:
    memory = worker_memory(master_pid)
    print(f"\ngunicorn workers ({len(memory)}), RSS after the run:")
    for pid, rss in memory:
        print(f"  pid {pid}: {rss / 1024:.1f} MiB")
    if memory:
        print(f"  median {median(r for _, r in memory) / 1024:.1f} MiB")


def run(base: str, static_root: str, master_pid: int, seconds: int) -> int:
    copies = json.loads((Path(static_root) / "bench" / "pages.json").read_text())
    sizes = {}
    for path in copies:  # fill the page cache, as real traffic would
        try:
            sizes[path] = len(fetch(base + path))
        except urllib.error.HTTPError as exc:
            sizes[path] = len(exc.read())
            print(f"bench: {path} answered {exc.code}", file=sys.stderr)

    print(
        f"\nwrk -c {CONNECTIONS} -t {THREADS} -d {seconds}s on {base}, "
        f"X-Forwarded-Proto: https, {os.cpu_count()} cores. Each page is run between two runs "
        "of its own copy as a static file (same bytes), served by the same gunicorn/whitenoise;"
        " ratio = page req/s ÷ mean of those two.\n"
    )
    missed = []
    if os.environ.get("BENCH_ONLY") != "lookup":
        missed += _run_pages(base, copies, sizes, seconds)
    missed += _run_lookups(base, copies, sizes, seconds)
    _report_memory(master_pid)
    if missed:
        print("\nTARGETS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print(
        f"\nAll targets met: pages ≥ {TARGET_RATIO} × static req/s with p99 < "
        f"{TARGET_P99_MS:.0f} ms, uncached lookups ≥ {TARGET_LOOKUP_RATIO} ×, zero errors."
    )
    return 0


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "pages":
        print("\n".join(page_paths()))
        return 0
    if command == "snapshot":
        snapshot(*args)
        return 0
    if command == "run":
        base, static_root, master_pid, seconds = args
        return run(base, static_root, int(master_pid), int(seconds))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
