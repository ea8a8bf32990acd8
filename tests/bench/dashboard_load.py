"""Load test of the served dashboard on loopback: ``python -m tests.bench.dashboard_load``.

Starts the dashboard the way ``analyzer serve RUN_DIR`` runs it (:func:`dashboards.cli.handle`:
Flask's threaded Werkzeug server, one thread per connection) in a child process on a free
loopback port, then drives ``--clients`` concurrent clients for ``--seconds``.  Each client is
a thread with its own keep-alive ``http.client`` connection that plays user visits in a loop,
with no think time unless ``--think`` is given (a closed loop: the worst case for the server):

* a page visit: ``GET`` the page with URL state (``/``, ``/article?a=…``, ``/thread?a=…&c=…``,
  ``/links?a=…&d=…``), ``GET /_dash-layout`` and ``/_dash-dependencies``, the page-routing
  callback ``POST /_dash-update-component`` that returns the page's layout, and sometimes one
  static file (CSS, a component bundle) as a browser with a cold cache would;
* then the page's own callbacks, with payloads built from the server's
  ``/_dash-dependencies`` the way the Dash renderer builds them: change the scatter axes, draw
  the deferred scatter, open a grid row (corpus); choose an article (article); choose an
  article, click a comment, toggle the colouring (thread); choose an article or every article,
  open a domain (links).

Articles are picked with probability proportional to their number of comments (readers go
where the discussion is), so the run's largest threads get their share of the load.

Any non-2xx answer, timeout or connection error is an error.  The report gives requests,
errors, throughput and p50/p95/p99/max latency per endpoint kind and overall; the exit code
is 1 when there was any error.  Latencies are measured in the client process, which shares
the machine with the server: on 2 cores they include queueing in both.

Example:
    python -m tests.bench.dashboard_load --clients 50 --seconds 60            # synthetic 100k-comment run
    python -m tests.bench.dashboard_load --run RUN_DIR --clients 8 --seconds 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

import polars as pl

from dashboards import ids

HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 60.0
START_TIMEOUT_S = 180.0
UPDATE = "/_dash-update-component"
# The child: exactly ``analyzer serve RUN_DIR --port PORT [OPTIONS]`` (same parser, same defaults).
_SERVE = (
    "import argparse, sys\n"
    "from dashboards.cli import add_parser, handle\n"
    "parser = argparse.ArgumentParser(); sub = parser.add_subparsers(dest='command'); add_parser(sub)\n"
    "sys.exit(handle(parser.parse_args(['serve', sys.argv[1], '--port', sys.argv[2], *sys.argv[3:]])))\n"
)


@dataclass(frozen=True)
class Request:
    """One HTTP request of a visit: ``kind`` names the endpoint in the report."""

    kind: str
    method: str
    path: str
    body: bytes | None = None


@dataclass
class Sample:
    """What one client saw: latencies by kind, and error descriptions by kind."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    statuses: dict[tuple[str, int], int] = field(default_factory=dict)


@dataclass(frozen=True)
class RunChoices:
    """What clients pick from: article ids weighted by size, comment ids and domains per article."""

    articles: list[str]
    weights: list[float]
    comments: dict[str, list[str]]
    domains: dict[str, list[str]]
    all_domains: list[str]

    @classmethod
    def read(cls, run_dir: Path) -> RunChoices:
        """Read only the id columns of the run (the client must stay light next to the server)."""
        articles = pl.read_parquet(run_dir / "articles.parquet", columns=["article_id", "n_visible"])
        comments = pl.read_parquet(run_dir / "comments.parquet", columns=["article_id", "comment_id", "kind"])
        visible = comments.filter(pl.col("kind") == "comment")
        by_article = {a: [str(c) for c in cs] for a, cs in visible.group_by("article_id").agg("comment_id").iter_rows()}
        domains: dict[str, list[str]] = {}
        all_domains: list[str] = []
        links_file = run_dir / "links.parquet"
        if links_file.exists():
            links = pl.read_parquet(links_file, columns=["article_id", "comment_id", "registered_domain", "host"])
            links = links.filter(pl.col("comment_id").is_not_null()).with_columns(
                pl.coalesce("registered_domain", "host").alias("domain")).drop_nulls("domain")
            for article_id, names in links.group_by("article_id").agg(pl.col("domain").unique().sort()).iter_rows():
                domains[article_id] = list(names)
            all_domains = links["domain"].value_counts(sort=True)["domain"].head(50).to_list()
        ids_ = articles["article_id"].to_list()
        weights = [float(max(1, n or 0)) for n in articles["n_visible"].to_list()]
        return cls(ids_, weights, by_article, domains, all_domains)

    def article(self, rng: random.Random) -> str:
        return rng.choices(self.articles, weights=self.weights)[0]


def skeletons(dependencies: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Request bodies of the server callbacks, keyed by their first output id.

    The same shape the Dash renderer posts: ``output`` (the key), ``outputs`` (one or a list of
    ``{id, property}``, pattern ids as objects), ``inputs`` and ``state`` with values.
    """

    def ident(raw: str) -> Any:
        return json.loads(raw) if raw.startswith("{") else raw

    out: dict[str, dict[str, Any]] = {}
    for spec in dependencies:
        if spec.get("clientside_function"):
            continue
        key = spec["output"]
        names = key[2:-2].split("...") if key.startswith("..") else [key]
        outputs = []
        for name in names:
            raw_id, _, prop = name.rpartition(".")
            outputs.append({"id": ident(raw_id), "property": prop.split("@")[0]})
        first = outputs[0]["id"]
        label = first if isinstance(first, str) else json.dumps(first, sort_keys=True)
        out.setdefault(label, {
            "output": key, "outputs": outputs if key.startswith("..") else outputs[0],
            "inputs": [{"id": ident(i["id"]), "property": i["property"]} for i in spec["inputs"]],
            "state": [{"id": ident(s["id"]), "property": s["property"]} for s in spec.get("state", [])]})
    return out


def callback_body(skeleton: dict[str, Any], values: dict[str, Any], changed: str,
                  state: dict[str, Any] | None = None) -> bytes:
    """A callback request: input values by component id, state values by component id."""
    body = json.loads(json.dumps(skeleton))
    for item in body["inputs"]:
        item["value"] = values.get(item["id"] if isinstance(item["id"], str) else json.dumps(item["id"]))
    for item in body["state"]:
        key = item["id"] if isinstance(item["id"], str) else json.dumps(item["id"], sort_keys=True)
        item["value"] = (state or {}).get(key)
    body["changedPropIds"] = [changed]
    return json.dumps(body).encode("utf-8")


THREAD_STATE = json.dumps({"page": "thread", "type": ids.STATE}, sort_keys=True)


class Visits:
    """Generates user visits (lists of requests) against one served run."""

    def __init__(self, choices: RunChoices, dependencies: list[dict[str, Any]], assets: list[str]) -> None:
        self.choices = choices
        self.cb = skeletons(dependencies)
        self.assets = assets
        missing = {ids.CORPUS_SCATTER, ids.CORPUS_SCATTER_BOX, ids.GO, ids.ARTICLE_HEAD, ids.THREAD_TREE,
                   ids.LINKS_SUMMARY, "_pages_content"} - set(self.cb)
        if missing:
            raise RuntimeError(f"the server has no callback for {sorted(missing)}")

    def _page(self, rng: random.Random, path: str, query: dict[str, str], *, static: bool = False) -> list[Request]:
        search = "?" + urlencode(query) if query else ""
        router = callback_body(self.cb["_pages_content"], {"_pages_location": None}, "_pages_location.pathname")
        body = json.loads(router)
        for item in body["inputs"]:
            item["value"] = path if item["property"] == "pathname" else search
        page = [Request("page", "GET", path + search), Request("layout", "GET", "/_dash-layout"),
                Request("dependencies", "GET", "/_dash-dependencies"),
                Request("cb:page-content", "POST", UPDATE, json.dumps(body).encode("utf-8"))]
        if self.assets and (static or rng.random() < 0.2):
            page.append(Request("static", "GET", rng.choice(self.assets)))
        return page

    def _post(self, kind: str, first_output: str, values: dict[str, Any], changed: str,
              state: dict[str, Any] | None = None) -> Request:
        return Request(kind, "POST", UPDATE, callback_body(self.cb[first_output], values, changed, state))

    def corpus(self, rng: random.Random, *, static: bool = False) -> list[Request]:
        axes = ["structural_virality", "link_comment_share", "max_depth", "n_visible", "visibility"]
        return self._page(rng, "/", {}, static=static) + [
            self._post("cb:corpus-draw", ids.CORPUS_SCATTER_BOX,
                       {ids.CORPUS_READY: True, ids.CORPUS_X: "structural_virality", ids.CORPUS_Y: "link_comment_share"},
                       f"{ids.CORPUS_READY}.data", {ids.CORPUS_X: "structural_virality", ids.CORPUS_Y: "link_comment_share"}),
            self._post("cb:corpus-axes", ids.CORPUS_SCATTER,
                       {ids.CORPUS_X: rng.choice(axes), ids.CORPUS_Y: rng.choice(axes)}, f"{ids.CORPUS_X}.value"),
            self._post("cb:corpus-open", ids.GO, {ids.CORPUS_GRID: {"rowId": self.choices.article(rng)}},
                       f"{ids.CORPUS_GRID}.cellClicked"),
        ]

    def article(self, rng: random.Random) -> list[Request]:
        first, other = self.choices.article(rng), self.choices.article(rng)
        return self._page(rng, "/article", {"a": first}) + [
            self._post("cb:article-pick", ids.ARTICLE_HEAD, {ids.ARTICLE_PICK: other}, f"{ids.ARTICLE_PICK}.value")]

    def thread(self, rng: random.Random) -> list[Request]:
        article = self.choices.article(rng)
        comments = self.choices.comments.get(article) or [""]
        opened, clicked = rng.choice(comments), rng.choice(comments)
        query = {"a": article, "c": opened} if opened else {"a": article}
        state = {THREAD_STATE: {"a": article, "c": clicked or None, "color": "article"}}
        values = {ids.THREAD_PICK: article, ids.THREAD_COLOR: "article"}
        return self._page(rng, "/thread", query) + [
            self._post("cb:thread-pick", ids.THREAD_TREE, values, f"{ids.THREAD_PICK}.value", state),
            self._post("cb:thread-click", ids.THREAD_TREE,
                       {**values, ids.THREAD_TREE: {"points": [{"id": clicked}]}}, f"{ids.THREAD_TREE}.clickData",
                       state),
            self._post("cb:thread-colour", ids.THREAD_TREE, {**values, ids.THREAD_COLOR: "parent"},
                       f"{ids.THREAD_COLOR}.value", state),
        ]

    def links(self, rng: random.Random, *, linked: bool = False) -> list[Request]:
        every = rng.random() < 0.2
        article = ids.ALL_ARTICLES if every else self.choices.article(rng)
        if linked and self.choices.domains:  # an article whose comments link somewhere
            every, article = False, rng.choice(sorted(self.choices.domains))
        domains = self.choices.all_domains if every else self.choices.domains.get(article, [])
        domain = rng.choice(domains) if domains else None
        query = {"a": article} | ({"d": domain} if domain else {})
        visit = self._page(rng, "/links", query) + [
            self._post("cb:links-pick", ids.LINKS_SUMMARY, {ids.LINKS_PICK: article}, f"{ids.LINKS_PICK}.value")]
        if domain:
            visit.append(self._post("cb:links-domain", ids.LINKS_SUMMARY,
                                    {ids.LINKS_PICK: article, ids.LINKS_GRID: {"rowId": domain}},
                                    f"{ids.LINKS_GRID}.cellClicked"))
        return visit

    def endless(self, rng: random.Random) -> Iterator[list[Request]]:
        """Visits forever: first a tour of every page and callback, then pages at random.

        The tour makes even a short run touch every endpoint kind; afterwards the article and
        thread pages, the busy ones, come up twice as often as the others.
        """
        yield (self.corpus(rng, static=True) + self.article(rng) + self.thread(rng)
               + self.links(rng, linked=True))
        pages = [self.corpus, self.article, self.article, self.thread, self.thread, self.links]
        while True:
            yield rng.choice(pages)(rng)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Server:
    """``analyzer serve RUN_DIR`` in a child process on a free loopback port; its log in a file."""

    def __init__(self, run_dir: Path, workers: int = 0, threads: int | None = None) -> None:
        self.port = free_port()
        self.workers = workers
        self.log: TextIO = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        options = (["--workers", str(workers)] if workers else []) + (["--threads", str(threads)] if threads else [])
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-c", _SERVE, str(run_dir), str(self.port), *options],
            stdout=self.log, stderr=self.log, cwd=Path(__file__).resolve().parents[2])

    def wait_ready(self, timeout: float = START_TIMEOUT_S) -> None:
        """Block until ``GET /`` answers 200, or raise with the server's last log lines."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dashboard server exited ({self.process.returncode}):\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the dashboard server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def wait_settled(self, timeout: float = START_TIMEOUT_S) -> None:
        """With workers: block until all of them run and their start-up work is done (the
        server's CPU time stops growing), so that start-up is not counted as serving."""
        if not self.workers:
            return
        deadline = time.monotonic() + timeout
        last = server_cpu_seconds(self.process.pid)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = server_cpu_seconds(self.process.pid)
            if (len(child_pids(self.process.pid)) >= self.workers and last is not None and now is not None
                    and now - last < 0.02):
                return
            last = now
        raise RuntimeError(f"the {self.workers} workers did not settle within {timeout:.0f} s:\n{self.tail()}")

    def get(self, path: str) -> bytes:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status}")
            return body
        finally:
            conn.close()

    def tail(self, n: int = 15) -> str:
        self.log.flush()
        self.log.seek(0)
        return "".join(self.log.readlines()[-n:])

    def stop(self) -> None:
        """Stop the server; with workers, also any worker its master left behind (a killed
        master does not take its workers with it)."""
        workers = child_pids(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)  # gunicorn lets workers finish for graceful_timeout (10 s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for pid in workers:
            try:  # only if that pid is still one of our workers (never a reused pid)
                if b"dashboards.cli" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:  # already gone, as it should be
                pass
        self.log.close()


@dataclass(frozen=True)
class Think:
    """Pauses of a client: ``page`` mean seconds after each page (uniform on 0..2×mean), or
    ``click`` (low, high) seconds after every callback, a click (the page-routing one included),
    as a reader reads before clicking again."""

    page: float = 0.0
    click: tuple[float, float] | None = None

    def pause(self, kind: str, rng: random.Random) -> float:
        if self.click is not None and kind.startswith("cb:"):
            return rng.uniform(*self.click)
        if self.page and kind == "cb:page-content":
            return rng.uniform(0, 2 * self.page)
        return 0.0


def _client(port: int, visits: Visits, seed: int, deadline: float, think: Think, sample: Sample) -> None:
    rng = random.Random(seed)
    conn_box = [http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)]  # replaced after a failure
    if think.click is not None:  # readers do not all arrive in the same instant
        time.sleep(rng.uniform(0, think.click[1]))
    for n_visit, visit in enumerate(visits.endless(rng)):
        if n_visit and time.monotonic() >= deadline:  # the tour always completes; a visit is a unit
            break
        _visit(conn_box, visit, rng, think, sample)
    conn_box[0].close()


def _visit(conn_box: list[http.client.HTTPConnection], visit: list[Request], rng: random.Random, think: Think,
           sample: Sample) -> None:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    for request in visit:
        conn = conn_box[0]
        start = time.perf_counter()
        try:
            conn.request(request.method, request.path, body=request.body, headers=headers if request.body else {})
            response = conn.getresponse()
            response.read()
            status = response.status
            sample.statuses[request.kind, status] = sample.statuses.get((request.kind, status), 0) + 1
            problem = None if 200 <= status < 300 else f"{status} {request.method} {request.path[:120]}"
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{type(exc).__name__}: {exc} ({request.method} {request.path[:120]})"
            conn.close()
            conn_box[0] = http.client.HTTPConnection(conn.host, conn.port, timeout=REQUEST_TIMEOUT_S)
        elapsed = time.perf_counter() - start
        sample.latencies.setdefault(request.kind, []).append(elapsed)
        if problem is not None:
            sample.errors.setdefault(request.kind, []).append(problem)
        pause = think.pause(request.kind, rng)
        if pause:
            time.sleep(pause)


@dataclass
class Result:
    """Everything the clients saw, merged."""

    seconds: float
    clients: int
    latencies: dict[str, list[float]]
    errors: dict[str, list[str]]
    statuses: dict[tuple[str, int], int] = field(default_factory=dict)
    # The server process's CPU seconds during the run (None where /proc is not readable): the
    # work per request, which a loaded machine does not inflate the way it inflates latencies.
    server_cpu_s: float | None = None

    @property
    def n_requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def n_errors(self) -> int:
        return sum(len(v) for v in self.errors.values())


def drive(port: int, visits: Visits, *, clients: int, seconds: float, think: Think | float = 0.0,
          seed: int = 0) -> Result:
    """Run ``clients`` client threads for ``seconds`` against a server on ``port``."""
    think = think if isinstance(think, Think) else Think(page=think)
    samples = [Sample() for _ in range(clients)]
    begin = time.monotonic()
    deadline = begin + seconds
    threads = [threading.Thread(target=_client, args=(port, visits, seed * 1000 + i, deadline, think, samples[i]),
                                daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 2 * REQUEST_TIMEOUT_S)
    elapsed = time.monotonic() - begin
    latencies: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    statuses: dict[tuple[str, int], int] = {}
    for sample in samples:
        for key, n in sample.statuses.items():
            statuses[key] = statuses.get(key, 0) + n
        for kind, values in sample.latencies.items():
            latencies.setdefault(kind, []).extend(values)
        for kind, problems in sample.errors.items():
            errors.setdefault(kind, []).extend(problems)
    hung = sum(thread.is_alive() for thread in threads)
    if hung:
        errors.setdefault("client", []).append(f"{hung} client(s) still waiting after the run")
    return Result(elapsed, clients, latencies, errors, statuses)


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile by the nearest-rank method (no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(result: Result) -> str:
    """The table printed after a run."""
    cpu = ("" if result.server_cpu_s is None or not result.n_requests else
           f"; server CPU {result.server_cpu_s:.1f} s, {1000 * result.server_cpu_s / result.n_requests:.1f} ms a request")
    lines = [f"{result.clients} clients for {result.seconds:.1f} s: {result.n_requests} requests, "
             f"{result.n_errors} errors, {result.n_requests / result.seconds:.1f} requests/s{cpu}",
             f"{'endpoint kind':<18} {'n':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    every: list[float] = []
    for kind in sorted(result.latencies):
        ms = [1000 * v for v in result.latencies[kind]]
        every += ms
        lines.append(f"{kind:<18} {len(ms):>7} {len(result.errors.get(kind, [])):>6} {quantile(ms, 0.5):>8.0f} "
                     f"{quantile(ms, 0.95):>8.0f} {quantile(ms, 0.99):>8.0f} {max(ms):>8.0f}")
    if every:
        lines.append(f"{'overall':<18} {len(every):>7} {result.n_errors:>6} {quantile(every, 0.5):>8.0f} "
                     f"{quantile(every, 0.95):>8.0f} {quantile(every, 0.99):>8.0f} {max(every):>8.0f}")
    for kind, problems in sorted(result.errors.items()):
        shown = sorted(set(problems))[:5]
        lines += [f"error ({kind}): {p}" for p in shown]
    return "\n".join(lines)


def static_paths(index_html: str) -> list[str]:
    """Script and stylesheet paths named by the index page (what a cold browser cache fetches)."""
    found = re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', index_html)
    return sorted(set(found))


def run_load(run_dir: Path, *, clients: int, seconds: float, think: Think | float = 0.0, seed: int = 0,
             workers: int = 0, threads: int | None = None) -> Result:
    """Serve ``run_dir`` in a child process (``workers`` > 0: under gunicorn) and drive it; the
    server is stopped afterwards."""
    choices = RunChoices.read(run_dir)
    server = Server(run_dir, workers, threads)
    try:
        server.wait_ready()
        server.wait_settled()
        dependencies = json.loads(server.get("/_dash-dependencies"))
        visits = Visits(choices, dependencies, static_paths(server.get("/").decode("utf-8")))
        before = server_cpu_seconds(server.process.pid)
        result = drive(server.port, visits, clients=clients, seconds=seconds, think=think, seed=seed)
        after = server_cpu_seconds(server.process.pid)
        if before is not None and after is not None:
            result.server_cpu_s = after - before
        return result
    finally:
        server.stop()


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), from /proc; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def child_pids(pid: int) -> list[int]:
    """The child processes of ``pid`` (gunicorn's workers), from /proc; [] elsewhere."""
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


def server_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of process ``pid`` and its live children (the master and its workers)."""
    total = process_cpu_seconds(pid)
    if total is None:
        return None
    return total + sum(process_cpu_seconds(child) or 0.0 for child in child_pids(pid))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.dashboard_load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they run (default 60)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause in seconds after each page a client opens (default 0: closed loop)")
    parser.add_argument("--think-range", type=float, nargs=2, metavar=("LOW", "HIGH"),
                        help="pause LOW..HIGH seconds (uniform) after every click, a reader's pace "
                             "(e.g. 1 3); replaces --think")
    parser.add_argument("--workers", type=int, default=0,
                        help="serve with `analyzer serve --workers N` (gunicorn; default 0: one process)")
    parser.add_argument("--threads", type=int, help="threads per worker (`analyzer serve --threads`)")
    parser.add_argument("--run", type=Path, help="serve this run folder (default: the benchmark's synthetic run)")
    parser.add_argument("--comments", type=int, default=100_000, help="size of the synthetic run")
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--big-thread", type=int, default=5_000)
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "analyzer" / "dash-bench")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients must be at least 1 and --seconds positive")
    if args.run is None:
        from tests.bench.dashboard_first_page import build_run

        run_dir = build_run(args.comments, args.articles, args.big_thread, "structure,links", args.cache_dir)
    else:
        from analyzer.core.run import is_run

        if not is_run(args.run):
            parser.error(f"{args.run}: not a run folder")
        run_dir = args.run
    n_comments = pl.scan_parquet(run_dir / "comments.parquet").select(pl.len()).collect().item()
    how = f"`analyzer serve --workers {args.workers}`" if args.workers else "`analyzer serve`"
    think = Think(page=args.think, click=tuple(args.think_range) if args.think_range else None)
    pace = (f"{args.think_range[0]:g}-{args.think_range[1]:g} s after each click" if args.think_range
            else f"{args.think:g} s mean after each page" if args.think else "no think time")
    print(f"serving {run_dir} ({n_comments} comment rows) as {how} does, on {HOST}; {pace}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the run", flush=True)
    result = run_load(run_dir, clients=args.clients, seconds=args.seconds, think=think, seed=args.seed,
                      workers=args.workers, threads=args.threads)
    print(report(result))
    return 1 if result.n_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
