"""A run with planted coordination and hand-written labels, for the Coordination and Labels pages.

Organic comments come from :func:`tests.bench.synth.corpus.generate_corpus` (4 articles).
Planted into them, all written here:

* a copy-paste **campaign**: :data:`CAMPAIGN` posted :data:`N_COPIES` times under the four
  articles by four accounts within two hours, each copy lightly edited (a prefix, an emoji,
  punctuation), as such campaigns evade exact matching;
* a **co-sharing group**: the three accounts of :data:`SHARERS` each post the two URLs of
  :data:`SHARED_URLS` within ten seconds of each other under different articles, one of them
  through a Facebook redirect wrapper (unwrapped by the links stage);
* **removals**: every fifth reply at depth 2 is marked deleted (text kept, as OMP keeps it).

The run goes through ``structure, links, stance, labels, coordination`` with the offline
language layer.  No label model is shipped, so ``comment_labels.parquet`` is then replaced by
a hand-written frame that follows its declared schema (:func:`hand_labels`, labels by position)
and the manifest says which labels are reliable, as a trained model's card would: the pages'
shares and "not a finding" marks are checked against counts made here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from analyzer.core.run import read_run, write_run
from analyzer.pipeline import analyse
from analyzer.stages.labels.schemas import COMMENT_LABELS, LABEL_COLUMNS
from tests.bench.synth.corpus import generate_corpus

ARTICLES = ("b0", "b1", "b2", "b3")
CAMPAIGN = ("Die Regierung verschweigt seit Monaten die wahren Kosten der Reform, und die Zeitungen schreiben "
            "brav ab, was ihnen vorgelegt wird. Wann wacht hier endlich jemand auf?")
N_COPIES = 6
CAMPAIGN_ACCOUNTS = ("Wahrheit_2024", "Aufwachen_jetzt", "Buerger_fragt", "Klartext_99")
SHARERS = ("Verteiler_A", "Verteiler_B", "Verteiler_C")
SHARED_URLS = ("https://example-news.test/story/reserve-sale", "https://example-news.test/story/grid-secret")
WRAPPED = "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample-news.test%2Fstory%2Fgrid-secret&h=AT0x"
RELIABLE = {"arguments_used": True, "personal_stories": True, "inappropriate": False}


def _copies(start: datetime) -> list[dict[str, object]]:
    edits = ("Genau! " + CAMPAIGN, CAMPAIGN + " 😡", CAMPAIGN.replace("Regierung", "Politik"),
             "Lest das: " + CAMPAIGN, CAMPAIGN.replace(",", ""), CAMPAIGN + "!!")
    return [{"article_id": ARTICLES[i % len(ARTICLES)], "comment_id": f"camp{i}", "parent_id": None,
             "author": CAMPAIGN_ACCOUNTS[i % len(CAMPAIGN_ACCOUNTS)], "created_at": start + timedelta(minutes=19 * i),
             "text": edits[i % len(edits)]} for i in range(N_COPIES)]


def _shares(start: datetime) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for u, url in enumerate(SHARED_URLS):
        at = start + timedelta(days=2 * u)
        for s, author in enumerate(SHARERS):
            link = WRAPPED if (u, s) == (1, 2) else url
            rows.append({"article_id": ARTICLES[(u + s) % len(ARTICLES)], "comment_id": f"share{u}{s}",
                         "parent_id": None, "author": author, "created_at": at + timedelta(seconds=4 * s),
                         "text": f"Das sollte jeder lesen, bevor er hier mitredet: {link}"})
    return rows


def build(folder: Path) -> Path:
    """Write the planted table into ``folder`` and analyse it into ``folder / "run"``."""
    folder.mkdir(parents=True, exist_ok=True)
    organic = generate_corpus(240, len(ARTICLES), seed=11, deep_chains=0).with_columns(
        ("b" + pl.col("article_id").str.strip_prefix("a")).alias("article_id"))
    start = organic["created_at"].min() or datetime(2024, 5, 1, tzinfo=UTC)
    assert isinstance(start, datetime)
    planted = pl.DataFrame(_copies(start + timedelta(hours=3)) + _shares(start + timedelta(hours=5)),
                           schema=organic.schema)
    table = pl.concat([organic, planted])
    depth2 = table.join(table.select(pl.col("comment_id").alias("parent_id"), pl.col("parent_id").alias("grand")),
                        on="parent_id", how="left").filter(pl.col("parent_id").is_not_null()
                                                           & pl.col("grand").is_null())["comment_id"].to_list()
    removed = set(depth2[::5])
    table = table.with_columns(pl.col("comment_id").is_in(list(removed)).alias("deleted"))
    path = folder / "planted.parquet"
    table.write_parquet(path)
    out = folder / "run"
    analyse([path], out=out, stages="structure,links,stance,labels,coordination",
            stage_settings={"nlp": "offline", "domain_lists": []})
    return with_hand_labels(out)


def hand_labels(comments: pl.DataFrame) -> pl.DataFrame:
    """Labels by position among the written comments (every 3rd uses arguments, every 7th is
    inappropriate, every 5th a personal story; sentiment cycles negative, neutral, positive)."""
    written = comments.filter(pl.col("kind").is_in(["comment", "deleted", "removed"]) & ~pl.col("is_ghost"))
    n = written.height
    positions = list(range(n))
    columns: dict[str, object] = {
        "article_id": written["article_id"], "comment_id": written["comment_id"],
        "is_deleted": written["kind"].is_in(["deleted", "removed"]), "lang": ["de"] * n,
        "sentiment": [("negative", "neutral", "positive")[i % 3] for i in positions],
    }
    every = {"arguments_used": 3, "inappropriate": 7, "personal_stories": 5}
    for stem in LABEL_COLUMNS:
        step = every.get(stem)
        columns[stem] = [step is not None and i % step == 0 for i in positions]
        columns[f"p_{stem}"] = [0.9 if step is not None and i % step == 0 else 0.1 for i in positions]
    columns["model"] = ["hand-written test labels"] * n
    return pl.DataFrame(columns, schema=COMMENT_LABELS)


def with_hand_labels(run_dir: Path) -> Path:
    """The run with :func:`hand_labels` and a manifest entry naming the reliable labels."""
    run = read_run(run_dir)
    frames = {name: run.frame(name.removesuffix(".parquet")) for name in run.manifest["files"]}
    frames["comment_labels.parquet"] = hand_labels(run.comments)
    manifest = {k: v for k, v in run.manifest.items() if k not in {"files", "complete"}}
    info = dict(manifest["stage_info"]["labels"])
    info.update(state="ok", model="hand-written test labels",
                reliability={stem: {"reliable": flag} for stem, flag in RELIABLE.items()})
    manifest["stage_info"] = {**manifest["stage_info"], "labels": info}
    return write_run(run_dir.parent / "run_labelled", frames, manifest)
