"""Run folders for the dashboard tests (built once per session from the bundled sample page), the
served app and headless Chromium.

``full_run`` adds small stance, frames and keyness frames written here (the stance and framing
stages are built elsewhere; these frames only follow their declared schemas) and a second
article (a copy of the first) so article choice can be tested.  ``xss_run`` puts hostile text
into titles, bodies, comments and links.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.run import read_run, write_run
from analyzer.pipeline import analyse
from tests.conftest import ROOT

SAMPLE = ROOT / "fixtures" / "de_sample_page" / "input.txt"
ARTICLE = "de_sample_page"
COPY = "copy_page"
XSS_SCRIPT = "<script>window.__xss = 1; alert('xss')</script>"
XSS_IMG = '<img src=x onerror="window.__xss = 2; alert(2)">'
XSS_LINK = "javascript:window.__xss=3;alert(3)"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dashboard tests may only talk to the loopback interface."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
            raise OSError(f"network access in tests: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _frames(run_dir: Path) -> dict[str, pl.DataFrame]:
    run = read_run(run_dir)
    return {name: run.frame(name) for name in run.manifest["files"]}


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample page through the stages before stance and framing (offline NLP).

    Tests add hand-made stance and framing frames to it, so the views are checked against
    values computed by hand; ``full_sample_run`` has the real stages.
    """
    out = tmp_path_factory.mktemp("runs") / "sample"
    analyse(
        [SAMPLE], out=out, stages="structure,links,nlp,quotes",
        stage_settings={"nlp": "offline", "domain_lists": []},
    )
    return out


@pytest.fixture(scope="session")
def full_sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample page analysed with every stage (offline NLP)."""
    out = tmp_path_factory.mktemp("runs") / "sample_full"
    analyse([SAMPLE], out=out, stage_settings={"nlp": "offline", "domain_lists": []})
    return out


def stance_frame(comments: pl.DataFrame) -> pl.DataFrame:
    """Deterministic labels by position (support, deny, query, comment, ...) with JSON evidence."""
    visible = comments.filter((pl.col("kind") == "comment") & pl.col("text").is_not_null())
    labels = list(schemas.STANCE_LABELS)
    rows = []
    for i, (article_id, comment_id) in enumerate(visible.select("article_id", "comment_id").iter_rows()):
        parent = labels[i % 4]
        rows.append({
            "article_id": article_id, "comment_id": comment_id,
            "stance_parent": parent, "stance_parent_conf": 0.75,
            "stance_article": labels[(i + 1) % 4], "stance_article_conf": 0.5,
            "evidence": json.dumps({"cues": [{"cue": "agreement marker", "span": [0, 7]}], "reason": "test"}),
            "model": "cues-test",
        })
    return schemas.conform(pl.DataFrame(rows), schemas.STANCE)


def frames_frame(article_id: str, comment_ids: list[str]) -> pl.DataFrame:
    """Article: conflict ×2, economy ×1; readers: conflict ×1, morality ×3."""
    rows = [
        (schemas.ARTICLE_DOC_ID, 0, "conflict", ["Netz"]),
        (schemas.ARTICLE_DOC_ID, 1, "conflict", ["Mast"]),
        (schemas.ARTICLE_DOC_ID, 1, "economy", ["Reserve"]),
        (comment_ids[0], 0, "conflict", ["Netz"]),
        (comment_ids[1], 0, "morality", ["Schuld"]),
        (comment_ids[2], 0, "morality", ["Lüge"]),
        (comment_ids[2], 1, "morality", ["Lüge"]),
    ]
    return schemas.conform(pl.DataFrame(
        [{"article_id": article_id, "doc_id": d, "sent_idx": s, "frame": f, "matched_lemmas": m} for d, s, f, m in rows],
        schema_overrides={"sent_idx": pl.Int32}), schemas.FRAMES)


def keyness_frame(article_id: str) -> pl.DataFrame:
    return schemas.conform(pl.DataFrame({
        "article_id": [article_id] * 4, "term": ["Lüge", "Daten", "Reserve", "Wetter"],
        "n_comments": [5, 3, 0, 1], "n_article": [0, 1, 4, 3],
        "log_odds": [1.2, 0.4, -1.0, -0.5], "z": [2.5, 0.8, -2.2, -1.1]}), schemas.KEYNESS)


def _with_copy(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every per-article frame doubled under a second article id, with a different title."""
    out = {}
    for name, frame in frames.items():
        if "article_id" not in frame.columns or frame.is_empty():
            out[name] = frame
            continue
        copy = frame.filter(pl.col("article_id") == ARTICLE).with_columns(pl.lit(COPY).alias("article_id"))
        if name == "articles.parquet":
            copy = copy.with_columns(pl.lit("Zweiter Artikel: Kopie").alias("title"), pl.lit(3, pl.Int64).alias("n_visible"))
        out[name] = pl.concat([frame, copy])
    return out


@pytest.fixture(scope="session")
def full_run(sample_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample run plus stance, frames, keyness and a second article."""
    frames = _frames(sample_run)
    comments = frames["comments.parquet"]
    ids = comments.filter(pl.col("kind") == "comment")["comment_id"].to_list()
    frames["stance.parquet"] = stance_frame(comments)
    frames["frames.parquet"] = frames_frame(ARTICLE, ids)
    frames["keyness.parquet"] = keyness_frame(ARTICLE)
    frames = _with_copy(frames)
    manifest = {k: v for k, v in read_run(sample_run).manifest.items() if k not in {"files", "complete"}}
    return write_run(tmp_path_factory.mktemp("runs") / "full", frames, manifest)


@pytest.fixture(scope="session")
def xss_run(sample_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hostile text in the title, body, first comment, an author, and a javascript: link."""
    frames = _frames(sample_run)
    articles = frames["articles.parquet"].with_columns(
        pl.lit(f"Titel {XSS_SCRIPT}").alias("title"),
        pl.lit(XSS_LINK).alias("url"),
        (pl.lit(f"{XSS_IMG} ") + pl.col("body")).alias("body"),
    )
    comments = frames["comments.parquet"]
    first = comments.filter(pl.col("kind") == "comment")["comment_id"][0]
    comments = comments.with_columns(
        pl.when(pl.col("comment_id") == first).then(pl.lit(f"{XSS_SCRIPT} {XSS_IMG} [klick]({XSS_LINK}) {XSS_LINK}"))
        .otherwise(pl.col("text")).alias("text"),
        pl.when(pl.col("comment_id") == first).then(pl.lit(XSS_IMG)).otherwise(pl.col("author")).alias("author"),
    )
    links = frames["links.parquet"]
    bad = schemas.conform(pl.DataFrame({
        "article_id": [ARTICLE], "comment_id": [first], "url": [XSS_LINK], "url_normalised": [XSS_LINK],
        "host": ["<b>evil</b>"], "registered_domain": ['"><img src=x onerror=alert(4)>'],
        "obfuscation": [None], "in_quote": [False], "start_char": [0], "end_char": [10]}), schemas.LINKS)
    frames.update({"articles.parquet": articles, "comments.parquet": comments,
                   "links.parquet": pl.concat([links, bad]),
                   "stance.parquet": stance_frame(comments)})
    manifest = {k: v for k, v in read_run(sample_run).manifest.items() if k not in {"files", "complete"}}
    return write_run(tmp_path_factory.mktemp("runs") / "xss", frames, manifest)


# --- the served app and headless Chromium (browser tests) ---------------------------------
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
         "--no-first-run"]
# Console noise that is not ours: Chromium's software-GL notes.
IGNORED = ("GL Driver Message", "WebGL", "GPU stall")


class Served:
    """A dashboard served on a free loopback port in a background thread."""

    def __init__(self, run_dir: Path) -> None:
        from werkzeug.serving import make_server

        from dashboards.app import create_app

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server = make_server("127.0.0.1", 0, create_app(run_dir).server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("no Chromium: apt-get install -y chromium")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def full_server(full_run: Path) -> Iterator[Served]:
    served = Served(full_run)
    yield served
    served.close()


@pytest.fixture(scope="module")
def xss_server(xss_run: Path) -> Iterator[Served]:
    served = Served(xss_run)
    yield served
    served.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
           if m.type in ("error", "warning") and not any(s in m.text for s in IGNORED) else None)
    tab.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))

    def on_dialog(dialog: Any) -> None:  # any dialog fails the test (recorded), and is closed
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.problems = problems
    yield tab
    context.close()
