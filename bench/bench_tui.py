"""Reader speed in a real pseudo-terminal: first frame, first titles, cursor moves, memory.

Runs `python -m tui FILE` on a pty (120x35), reads what it writes, and times:

- process start → first frame (any screen drawn), → first paper titles, → loading finished;
- the same for a bare Textual app (one Static), the floor every Textual app pays;
- a cursor key (`j`, written to the pty like a keyboard) → the frame whose detail
  pane shows the new paper (its unique ``file:line``), p50/p90 over N moves;
- peak memory (VmHWM) of the app process.

    python bench/bench_tui.py                 # seed (if present), 100, 10k, 100k papers
    python bench/bench_tui.py --sizes 1000    # just one size

Prints numbers; asserts nothing. Targets: first titles within 1.5x the bare
floor for the seed; at 100k first frame within 0.4 s and first titles before loading
finishes; cursor move p50 <= 40 ms, p90 <= 60 ms at 100k; peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import codecs
import compileall
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.gen_digest import default_path, generate  # noqa: E402
from digest_parser import load  # noqa: E402

SEED = REPO.parent / "shared" / "seed" / "000_d0c6732df6c45d95.txt"
COLS, ROWS = 120, 35
SEQUENCE = re.compile(
    r"\x1b\[([0-9;?<>=]*)[ -/]*([@-~])"      # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[P_^X][^\x1b]*\x1b\\"            # DCS, APC, PM, SOS
    r"|\x1b[()][0-9A-Za-z]|\x1b[ -~]"        # charsets, other escapes
)


class VirtualScreen:
    """Just enough of a terminal to know what is on screen: Textual redraws only
    the cells that changed, so the output stream itself is not the screen."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0
        self.pending = ""

    def feed(self, data: str) -> None:
        data = self.pending + data
        cut = data.rfind("\x1b")
        # Keep a sequence that may be cut in two for the next read.
        if cut >= 0 and SEQUENCE.match(data, cut) is None and len(data) - cut < 64:
            data, self.pending = data[:cut], data[cut:]
        else:
            self.pending = ""
        position = 0
        for match in SEQUENCE.finditer(data):
            self._text(data[position:match.start()])
            if match.group(2):
                self._csi(match.group(1), match.group(2))
            position = match.end()
        self._text(data[position:])

    def _csi(self, params: str, final: str) -> None:
        numbers = [int(part) if part.isdigit() else 0 for part in params.lstrip("?").split(";")] if params else []
        first = numbers[0] if numbers and numbers[0] else 1
        if final in "Hf":
            self.y = (numbers[0] if numbers and numbers[0] else 1) - 1
            self.x = (numbers[1] if len(numbers) > 1 and numbers[1] else 1) - 1
        elif final == "A":
            self.y -= first
        elif final == "B":
            self.y += first
        elif final == "C":
            self.x += first
        elif final == "D":
            self.x -= first
        elif final == "G":
            self.x = first - 1
        elif final == "d":
            self.y = first - 1
        elif final == "J" and numbers[:1] == [2]:
            self.grid = [[" "] * self.cols for _ in range(self.rows)]
        elif final == "K" and 0 <= self.y < self.rows:
            row = self.grid[self.y]
            row[self.x:] = [" "] * (self.cols - self.x)
        self.y = max(0, min(self.y, self.rows - 1))
        self.x = max(0, min(self.x, self.cols - 1))

    def _text(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.y = min(self.y + 1, self.rows - 1)
            elif char >= " ":
                if 0 <= self.y < self.rows and 0 <= self.x < self.cols:
                    self.grid[self.y][self.x] = char
                self.x += 2 if unicodedata.east_asian_width(char) in "WF" else 1

    def text(self) -> str:
        return "\n".join("".join(row) for row in self.grid)

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("BARE-APP-READY")
Bare().run()
"""


class PtyApp:
    """A program on a pseudo-terminal, with its output as plain text."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        env.pop("CI", None)
        self.started = time.perf_counter()
        self.arrived = self.started
        """When the last bytes read from the program arrived."""
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.screen = VirtualScreen(ROWS, COLS)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def wait_for(self, *needles: str, timeout: float = 120.0) -> float | None:
        """Seconds since start when one of *needles* is first on the screen: when
        the bytes that drew it arrived, not when this emulator finished reading
        them (it is Python, and a full repaint takes it a few ms)."""
        deadline = time.perf_counter() + timeout
        while True:
            text = self.screen.text()
            if any(needle in text for needle in needles):
                return self.arrived - self.started
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    return None
                self.arrived = time.perf_counter()
                self.screen.feed(self.decoder.decode(chunk))

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def peak_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else None

    def close(self) -> None:
        try:
            self.send(b"q")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def bare_floor(runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_APP)
        for _ in range(runs):
            app = PtyApp([sys.executable, str(script)], Path(tmp))
            seconds = app.wait_for("BARE-APP-READY")
            app.close()
            if seconds is not None:
                times.append(seconds)
    return statistics.median(times)


def start_against_bare(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to the first title of *path*, and to a bare app's first frame, each
    run *runs* times, alternately, so that both see the same machine load."""
    first_title = load(str(path)).papers[0].title[:24]
    app_times: list[float] = []
    bare_times: list[float] = []
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DIGEST_READER_DATA_DIR"] = data_dir
        for _ in range(runs):
            bare_times.append(bare_floor(1))
            app = PtyApp([sys.executable, "-m", "tui", path.name], path.parent)
            seconds = app.wait_for(first_title)
            app.close()
            if seconds is not None:
                app_times.append(seconds)
    return app_times, bare_times


LIVE_DAY = "2024-10-22"


def live_against_file(runs: int, delay: float = 2.0) -> dict[str, list[float]]:
    """First frame with a fetch in flight (a local server that answers after *delay*
    seconds), next to the first frame on a local file holding the same day, and the
    time to the first titles of a day already cached; alternately, *runs* each."""
    from bench.bench_live import DAY_PATH, day_json
    from tests.live_server import Reply, serving

    body = day_json(60)
    first_title = json_first_title(body)
    times: dict[str, list[float]] = {"file: first frame": [], "fetch: first frame": [], "fetch: titles": [],
                                     "cached: titles": []}
    with tempfile.TemporaryDirectory() as tmp, serving() as server:
        folder = Path(tmp)
        (folder / "day.json").write_bytes(body)
        os.environ.update(DIGEST_READER_DATA_DIR=str(folder / "data"), DIGEST_READER_CACHE_DIR=str(folder / "cache"),
                          HF_ENDPOINT=server.url, DIGEST_READER_ARXIV_RSS="http://127.0.0.1:9")
        for _ in range(runs):
            app = PtyApp([sys.executable, "-m", "tui", "day.json"], folder)
            seconds = app.wait_for("day.json")
            app.close()
            if seconds is not None:
                times["file: first frame"].append(seconds)
            server.route(DAY_PATH, Reply(body=body, delay=delay))
            app = PtyApp([sys.executable, "-m", "tui", f"hf:{LIVE_DAY}", "--refresh"], folder)
            frame = app.wait_for("fetching hf")
            titles = app.wait_for(first_title)
            app.close()
            if frame is not None and titles is not None:
                times["fetch: first frame"].append(frame)
                times["fetch: titles"].append(titles)
            app = PtyApp([sys.executable, "-m", "tui", f"hf:{LIVE_DAY}", "--offline"], folder)
            seconds = app.wait_for(first_title)
            app.close()
            if seconds is not None:
                times["cached: titles"].append(seconds)
    return times


def json_first_title(body: bytes) -> str:
    import json

    return str(json.loads(body)[0]["paper"]["title"])[:24]


search_queries = True


def pick_queries(papers, round_number: int = 0) -> dict[str, str]:
    """Queries of 1, 3 and 8 characters and two words, taken from the digest itself;
    each round takes other words (a repeated query would find its scores memoised)."""
    words = list(dict.fromkeys(word.lower() for paper in papers[:400]
                               for word in re.findall(r"[A-Za-z]{8,}", paper.title)))
    start = 2 * round_number
    long_word = words[start] if len(words) > start else "transformer"
    second = words[start + 1] if len(words) > start + 1 else long_word
    return {"1 char": long_word[:1], "3 chars": long_word[:3], "8 chars": long_word[:8],
            "two words": f"{long_word[:5]} {second[:5]}"}


def bench_search(app: PtyApp, papers, rounds: int = 1) -> dict[str, tuple[float, float, float | None, int]]:
    """Type each query a key at a time, for *rounds* rounds of other words; time key ->
    list updated (its counter), and last key -> ranked (typo-tolerant) order on screen.
    Per query kind: p50 and p90 over the keys of every round, the median ranked time."""
    from tui.core.search import SearchIndex

    index = SearchIndex(papers)
    total = len(papers)
    results: dict[str, tuple[float, float, float | None, int]] = {}
    app.send(b"/")
    app.wait_for("Search: words", timeout=10)
    key_ms: dict[str, list[float]] = {}
    ranked_ms: dict[str, list[float]] = {}
    titles_ranked_ms: list[float] = []
    for round_number in range(rounds):
        for label, query in pick_queries(papers, round_number).items():
            keys, ranked, titles_ranked = _type_query(app, index, total, label, query)
            key_ms.setdefault(label, []).extend(keys)
            if ranked is not None:
                ranked_ms.setdefault(label, []).append(ranked)
            if titles_ranked is not None:
                titles_ranked_ms.append(titles_ranked)
    key_ms["all keys"] = [ms for times in list(key_ms.values()) for ms in times]
    for label, times in key_ms.items():
        if times:
            times.sort()
            p90 = times[int(len(times) * 0.9) - 1] if len(times) >= 5 else times[-1]
            ranked_times = ranked_ms.get(label)
            results[label] = (statistics.median(times), p90,
                              statistics.median(ranked_times) if ranked_times else None, len(times))
    if titles_ranked_ms:
        # (Reported as the ranked time of its own row: the titles-only pass, all queries.)
        titles_ranked_ms.sort()
        results["titles pass"] = (float("nan"), float("nan"), titles_ranked_ms[-1], len(titles_ranked_ms))
    return results


def _type_query(app: PtyApp, index, total: int, label: str,
                query: str) -> tuple[list[float], float | None, float | None]:
    """Type *query* a key at a time; return the timed keys' ms, last key -> ranked
    order (with abstracts) ms, and last key -> ranked titles-only order ms when the
    reader shows that pass on its own (more than QUICK_ABSTRACTS papers) and its
    count differs from the others (else None)."""
    from tui.core.query import parse_query
    from tui.core.scheduling import QUICK_ABSTRACTS

    key_ms: list[float] = []
    sent = time.perf_counter()
    quick = ranked_count = titles_count = -1
    for end in range(1, len(query) + 1):
        parsed = parse_query(query[:end])
        quick = len(index.narrow(parsed, abstracts=total <= QUICK_ABSTRACTS))
        ranked_count = len(index.rank(parsed) or [])
        if total > QUICK_ABSTRACTS and end == len(query):
            titles_count = len(index.rank(parsed, abstracts=False) or [])
        on_screen = re.search(r" (\d+)/\d+ (?:match|papers)", app.screen.text())
        shown_before = int(on_screen.group(1)) if on_screen else None
        if shown_before == quick:
            # The counter would not change: the update cannot be seen. Type the
            # key, but leave it out of the numbers.
            sent = time.perf_counter()
            app.send(query[end - 1].encode())
            app.wait_for(f"  {query[:end]}", timeout=10)
            continue
        sent = time.perf_counter()
        app.send(query[end - 1].encode())
        # The box shows the new text (so the key was handled) and the
        # counter shows this query's count, from stage 1 or (when it was
        # quicker than our look) already stage 2: the list was replaced.
        counts = tuple(f" {count}/{total} match" for count in {quick, ranked_count} - {shown_before})
        if app.wait_for(f"  {query[:end]}", timeout=10) and (shown := app.wait_for(*counts, timeout=10)):
            key_ms.append(max(0.0, shown + app.started - sent) * 1000)
    titles_at = None
    if titles_count not in (-1, quick, ranked_count):
        titles_at = app.wait_for(f" {titles_count}/{total} match", timeout=5)
    ranked_at = app.wait_for(f" {ranked_count}/{total} match", timeout=5)
    if ranked_at is None:
        counter = re.search(r" \d+/\d+ match", app.screen.text())
        print(f"  ({label} {query!r}: expected {ranked_count} ranked, screen says {counter.group(0) if counter else '?'})")
    app.send(b"\x15")  # ctrl+u clears the box
    app.wait_for(f" {total}/{total} papers", timeout=10)

    def since_last_key(at: float | None) -> float | None:
        return (at + app.started - sent) * 1000 if at is not None else None

    return key_ms, since_last_key(ranked_at), since_last_key(titles_at)


def bench_file(label: str, path: Path, moves: int, search_rounds: int = 1) -> dict[str, object]:
    digest = load(str(path))
    papers = digest.papers
    first_title = papers[0].title[:24]
    total = len(papers)
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DIGEST_READER_DATA_DIR"] = data_dir
        app = PtyApp([sys.executable, "-m", "tui", path.name], path.parent)
        first_frame = app.wait_for("papers")
        first_title_at = app.wait_for(first_title)
        loaded_at = app.wait_for(f"{total}/{total} papers")
        latencies = []
        for number in range(1, min(moves, total - 1) + 1):
            # The detail pane's "Source  file:line" is unique to each paper.
            marker = f"{path.name}:{papers[number].line} "
            sent = time.perf_counter()
            app.send(b"j")
            seen = app.wait_for(marker, timeout=10)
            if seen is None:
                break
            latencies.append((seen + app.started - sent) * 1000)
        peak = app.peak_rss_mb()  # browsing: before search builds its index
        search = bench_search(app, papers, search_rounds) if search_queries else {}
        peak_search = app.peak_rss_mb()
        app.close()
    latencies.sort()
    return {
        "label": label,
        "papers": total,
        "mb": path.stat().st_size / 1e6,
        "first_frame": first_frame,
        "first_titles": first_title_at,
        "loaded": loaded_at,
        "p50": statistics.median(latencies) if latencies else None,
        "p90": latencies[int(len(latencies) * 0.9) - 1] if len(latencies) >= 10 else None,
        "moves": len(latencies),
        "peak_mb": peak,
        "peak_search_mb": peak_search,
        "search": search,
    }


def fmt(value: object, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 10_000, 100_000])
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--bare-runs", type=int, default=3)
    parser.add_argument("--start-runs", type=int, default=7, help="seed start against the bare app, alternately")
    parser.add_argument("--live-runs", type=int, default=5,
                        help="first frame with a fetch in flight against a file's (0: skip)")
    parser.add_argument("--search-rounds", type=int, default=5,
                        help="rounds of search queries, other words each round (5: a p90 over 5-8 keys, not just their maximum)")
    args = parser.parse_args()

    # What a user's second start looks like: Python caches compiled modules, and
    # Textual's are compiled at install. Without this, PYTHONDONTWRITEBYTECODE=1
    # (set on some machines) makes every start compile our ~60 modules (~55 ms).
    for package in ("tui", "digest_parser"):
        compileall.compile_dir(str(REPO / package), quiet=1)
    floor = bare_floor(args.bare_runs)
    print(f"bare Textual app, first frame (median of {args.bare_runs}): {floor:.3f} s")
    if SEED.exists() and args.start_runs:
        app_times, bare_times = start_against_bare(SEED, args.start_runs)
        app_median, bare_median = statistics.median(app_times), statistics.median(bare_times)
        print(f"seed first titles against the bare app, {args.start_runs} runs each, alternating:"
              f" {app_median:.3f} s / {bare_median:.3f} s = {app_median / bare_median:.2f}x"
              f" (app {min(app_times):.3f}-{max(app_times):.3f}, bare {min(bare_times):.3f}-{max(bare_times):.3f})")
    if args.live_runs:
        live = live_against_file(args.live_runs)
        medians = {name: statistics.median(values) for name, values in live.items() if values}
        print(f"live source, {args.live_runs} runs each, alternating (server answers after 2 s), median s: "
              + ", ".join(f"{name} {value:.3f}" for name, value in medians.items()))
        if "file: first frame" in medians and "fetch: first frame" in medians:
            ratio = medians["fetch: first frame"] / medians["file: first frame"]
            print(f"  first frame with a fetch in flight / on a local file: {ratio:.2f}x (target <= 1.10x)")
    inputs: list[tuple[str, Path]] = []
    if SEED.exists():
        inputs.append(("seed", SEED))
    for size in args.sizes:
        path = default_path(size)
        if not path.exists():
            generate(path, size)
        inputs.append((f"{size} papers", path))

    header = (f"{'input':<14}{'MB':>8}{'frame s':>9}{'titles s':>10}{'x floor':>9}{'loaded s':>10}"
              f"{'move p50':>10}{'p90 ms':>8}{'peak MB':>9}{'+search':>9}")
    print(header)
    print("-" * len(header))
    searches = []
    for label, path in inputs:
        result = bench_file(label, path, args.moves, args.search_rounds)
        searches.append((label, result["search"]))
        ratio = result["first_titles"] / floor if result["first_titles"] else None
        print(
            f"{label:<14}{fmt(result['mb'], digits=1):>8}{fmt(result['first_frame']):>9}"
            f"{fmt(result['first_titles']):>10}{fmt(ratio):>9}{fmt(result['loaded']):>10}"
            f"{fmt(result['p50'], digits=1):>10}{fmt(result['p90'], digits=1):>8}"
            f"{fmt(result['peak_mb'], digits=0):>9}{fmt(result['peak_search_mb'], digits=0):>9}"
        )
    print("targets: titles <= 1.5x floor (seed); at 100k frame <= 0.4 s, titles before loaded,"
          " move p50 <= 40 ms / p90 <= 60 ms, peak < 300 MB")
    print()
    print(f"search in the app, {args.search_rounds} rounds of other words: key -> list updated"
          " (p50 / p90 ms over the timed keys of every round), last key -> ranked order (median)")
    for label, result in searches:
        for query, (p50, p90, ranked, keys) in result.items():
            if query == "titles pass":
                print(f"  {label:<14}last key -> ranked titles-only order: at most {fmt(ranked, digits=0)} ms"
                      f" over {keys} queries where it showed on its own")
                continue
            print(f"  {label:<14}{query:<11}{p50:8.1f}{p90:8.1f}   ranked {fmt(ranked, digits=0)} ms   ({keys} keys)")
    print("targets at 100k: key -> list p50 <= 35 ms, p90 <= 60 ms; ranked within 300 ms (titles+abstracts 500 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
