"""Build a report folder from a run folder: HTML page, Parquet, PNGs, manifest.

A report folder holds:

- ``index.html``: one self-contained page (plotly.js inlined once; it opens with no network)
  with the headline numbers, the figures of the dashboard, the comparison with an earlier run
  when one is given, and the parse issues.  Untrusted text is escaped (Jinja2 autoescape;
  figure labels pass :func:`analyzer.outputs.figures.plot_text`).
- ``metrics.parquet`` (the run's long metrics frame), ``headline.parquet`` and the
  comparison's frames: for tools that read tables, not pages.
- ``figures/<nn>-<article>-<figure>.png``: one PNG per figure (skipped with a warning where no
  browser can be had).
- ``manifest.json``: what was built from what, with the sha256 of every file.

Writing is atomic (a hidden temporary folder beside the destination, renamed into place) and
idempotent: the same run, options and comparison give byte-identical files apart from the
manifest's ``generated_at``; a second call finds the report up to date and does nothing
unless ``force`` is set.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from analyzer import __version__
from analyzer.core import atomic
from analyzer.core.errors import UsageError
from analyzer.core.hashing import file_sha256
from analyzer.core.run import MANIFEST, Run, read_run, replace_folder
from analyzer.outputs.notebook import Thread, excerpt
from analyzer.outputs.report.sections import MAX_TABLE_ROWS, Example, Panel, Section, Table
from analyzer.views import HEADLINE, RunView, format_value, headline_table
from analyzer.views.corpus import site_comparison
from analyzer.views.examples import example_comments, verdict, voted_comments
from analyzer.views.numbers import format_share
from analyzer.views.participants import reply_pairs
from analyzer.views.run_view import NO_ARTICLE_TEXT

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from analyzer.outputs.compare import Comparison

REPORT_VERSION = 1
REPORT_KIND = "analyzer-report"
FORMATS = ("html", "png", "parquet")
DEFAULT_FORMATS = ("html", "parquet", "png")
MAX_ARTICLES = 12  # articles with their own section (most commented first); the table lists all
MAX_ICICLE_NODES = 2000  # nodes drawn per thread icicle: keeps the page small on huge threads
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class ReportResult:
    """What :func:`build_report` did."""

    path: Path
    status: str  # "written" | "up-to-date"
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _slug(text: str, limit: int = 40) -> str:
    return _SLUG.sub("_", text)[:limit].strip("_") or "x"




def _stage_note(stage: str, file: str) -> str:
    return f"The {stage} stage has not run for this run (no {file}); its figures are left out."


def collect_sections(run: Run, *, max_articles: int = MAX_ARTICLES,
                     max_nodes: int = MAX_ICICLE_NODES) -> list[Section]:
    """The run-wide section and one section per article (most commented first), with figures."""
    from analyzer.outputs import figures as F

    view = RunView(run)
    table = view.corpus_table()
    has_links, has_stance, has_frames, has_keyness = (view.has(n) for n in ("links", "stance", "frames", "keyness"))

    corpus = Section(None, "All articles")
    if has_links:
        if table.height > 1:  # with one article its own section shows the same chart
            corpus.panels.append(Panel("run-domains", "Linked domains (all articles)",
                                       F.domain_bars(view.domain_table(None))))
    else:
        corpus.notes.append(_stage_note("links", "links.parquet"))
    if table.height > 1:
        corpus.panels.append(Panel("run-scatter", "Articles: comments and structural virality", F.article_scatter(
            table, x="n_visible", y="structural_virality",
            labels={"n_visible": "visible comments", "structural_virality": "structural virality"})))
    for stage, file, present in (("stance", "stance.parquet", has_stance),
                                 ("framing", "frames.parquet", has_frames),
                                 ("keyness", "keyness.parquet", has_keyness)):
        if not present:
            corpus.notes.append(_stage_note(stage, file))
    sites = site_comparison(table, view.run.frame("stance") if has_stance else None)
    if sites is not None:
        rows = []
        for r in sites.iter_rows(named=True):
            n, stanced = int(r["n_comments"]), r["n_stanced"]
            rows.append([str(r["site"]), f"{r['n_articles']:,}", f"{n:,}", format_share(int(r["n_linking"]), n),
                         "–" if not stanced else format_share(int(r["n_support"]), int(stanced)),
                         "–" if not stanced else format_share(int(r["n_deny"]), int(stanced)),
                         format_share(int(r["n_deleted"]), n + int(r["n_deleted"]))])
        corpus.tables.append(Table("Sites compared", ["site", "articles", "comments", "with a link",
                                                      "support the article", "contradict it", "deleted or removed"],
                                   rows))
    sections = [corpus]

    for index, row in enumerate(table.head(max_articles).iter_rows(named=True)):
        article_id = row["article_id"]
        prefix = f"{index + 1:02d}-{_slug(article_id)}"
        nodes = view.comments(article_id)
        section = Section(article_id, row["title"] or article_id)
        section.numbers = [("visible comments", format_value("n", row["n_visible"])),
                           ("announced", format_value("n", row["n_announced"])),
                           ("ghosts", format_value("n", row["n_ghost"])),
                           ("deleted", format_value("n", row["n_deleted"]))]
        section.numbers += [(number.label, format_value(number.metric, row[number.metric])) for number in HEADLINE]
        section.numbers.append(("parse issues", format_value("n", row["n_issues"])))

        def add(kind: str, title: str, figure: go.Figure, section: Section = section, prefix: str = prefix) -> None:
            section.panels.append(Panel(f"{prefix}-{kind}", title, figure))

        stance = view.stance(article_id)
        links = view.links(article_id)
        article = view.article(article_id)
        assert article is not None  # the table lists the run's articles
        thread = Thread(article, nodes, stance.drop("depth") if stance is not None else None,
                        view.run.frame("links").filter(pl.col("article_id") == article_id) if has_links else None)
        section.headline = verdict(view, article_id)
        section.examples = [
            Example(label=r["label"], author=excerpt(r["author"], 80) or "anonymous", replies=int(r["n_replies"] or 0),
                    when=r["created_at"].strftime("%Y-%m-%d %H:%M UTC") if r["created_at"] else "",
                    text=excerpt(r["text"], 340))
            for r in example_comments(view, article_id).iter_rows(named=True)]
        section.tables += _argument_tables(view, article_id, nodes, stance)
        add("thread", "Reply tree", thread.figure(max_nodes=max_nodes))
        if nodes.height > max_nodes:
            section.notes.append(f"The reply tree shows the first {max_nodes} of {nodes.height} nodes in page order; "
                                 "boxes keep the size of whole subtrees.")
        add("depth", "Comments per depth (L_k)", F.depth_profile(view.levels(article_id)))
        add("latency", "Reply latency", F.latency_histogram(view.latencies(article_id)))
        counts = view.stance_counts(article_id)
        depth_counts = view.stance_depth_counts(article_id)
        if counts is not None and depth_counts is not None:
            add("stance", "Stance toward the article", F.stance_shares(counts))
            add("stance-depth", "Stance by depth", F.stance_by_depth(depth_counts))
        if has_frames:
            profile = view.frame_profile(article_id)
            if profile is not None:
                add("frames", "Frames: article and readers", F.frame_profile(profile))
            else:
                section.notes.append(f"Frames: {NO_ARTICLE_TEXT}." if not view.has_article_text(article_id)
                                     else "Frames: the framing stage reported no frame profile for this article.")
        keyness = view.keyness(article_id)
        if keyness is not None:
            add("keyness", "Terms readers use more or less than the article", F.keyness_bars(keyness))
        if links is not None:
            add("domains", "Linked domains", F.domain_bars(view.domain_table(article_id)))
            add("link-depth", "Links per depth", F.link_depths(view.link_depth_counts(article_id)))
        sections.append(section)
    labels = _labels_section(view)
    if labels is not None:
        sections.append(labels)
    across = _coordination_section(view)
    if across is not None:
        sections.append(across)
    return sections


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def _share_cell(k: int, n: int, low: float | None, high: float | None, too_few: bool) -> str:
    if n <= 0:
        return "–"
    return f"{k} of {n}: too few for a share" if too_few else format_share(k, n, low=low, high=high)


PAIR_ROWS = 10  # author pairs listed per article; the dashboard's participants page has them all
VOTED_ROWS = 5  # most up-voted comments listed per article


def _votes_cell(up: int | None, down: int | None) -> str:
    """Reader votes as the dashboard shows them: "▲ 12 ▼ 3", or "▲ 12" when the source has
    no separate down-votes."""
    return " ".join(part for part in (f"▲ {up}" if up is not None else "",
                                      f"▼ {down}" if down is not None else "") if part)


def _argument_tables(view: RunView, article_id: str, nodes: pl.DataFrame,
                     stance: pl.DataFrame | None) -> list[Table]:
    """Who argued with whom, and what readers backed: the article's reply pairs between named
    authors (with the deny share where stance ran) and, when the source counts votes, the
    most up-voted comments and the most-endorsed disagreement.  Empty parts are left out
    with no table, since a table of nothing tells the reader nothing."""
    tables: list[Table] = []
    pairs = reply_pairs(nodes, stance)
    if not pairs.is_empty():
        rows = [[excerpt(r["author"], 60), excerpt(r["replied_to"], 60), f"{r['n']:,}",
                 "–" if stance is None else _share_cell(int(r["n_deny"]), int(r["n_total"]), r["ci_low"],
                                                        r["ci_high"], bool(r["too_few"])),
                 f"yes ({r['n_back']:,} back)" if r["reciprocal"] else "no"]
                for r in pairs.head(PAIR_ROWS).iter_rows(named=True)]
        note = (f"The {min(PAIR_ROWS, pairs.height)} of {pairs.height:,} author pairs with the most replies; "
                "anonymous comments and replies to oneself are left out. The deny share is of the replies "
                "with a stance label.")
        if stance is None:
            note += " " + _stage_note("stance", "stance.parquet")
        tables.append(Table("Who replied to whom", ["author", "replied to", "replies", "denied", "replied back"],
                            rows, note))
    for disagreeing, title, note in (
            (False, "Most up-voted comments", "Reader votes as the source counts them (net score where it "
                                              "gives no separate down-votes)."),
            (True, "Most-endorsed disagreement", "Replies that deny their parent, most up-votes first: the "
                                                 "counter-arguments readers backed most.")):
        voted = voted_comments(view, article_id, disagreeing=disagreeing, n=VOTED_ROWS)
        if voted.is_empty():
            continue
        tables.append(Table(title, ["votes", "author", "replying to", "replies", "comment"], [
            [_votes_cell(r["votes_up"], r["votes_down"]), excerpt(r["author"], 60) or "anonymous",
             excerpt(r["parent_author"], 60) or ("the article" if r["depth"] == 1 else "anonymous"),
             f"{int(r['n_replies'] or 0):,}", str(r["text"])]
            for r in voted.iter_rows(named=True)], note))
    return tables


def _labels_section(view: RunView) -> Section | None:
    """Comment labels (with their reliability) and removal rates over the run."""
    from analyzer.outputs import figures as F
    from analyzer.views import labels as lv

    shares = lv.label_shares(view)
    rates = lv.removal_rates(view)
    if shares is None and rates is None:
        return None
    section = Section(None, "Labels and moderation (all articles)")
    info = lv.stage_state(view)
    if shares is not None and not shares.is_empty():
        scored, total = lv.n_scored(view)
        rows = [[r["name"], _share_cell(int(r["n"]), int(r["n_total"]), r["ci_low"], r["ci_high"], bool(r["too_few"])),
                 {True: "finding", False: "not a finding"}.get(r["reliable"], "not evaluated")]
                for r in shares.iter_rows(named=True)]
        section.tables.append(Table(f"Comment labels ({scored:,} of {total:,} comments scored)",
                                    ["label", "share of scored comments (95 % CI)", "held out"], rows,
                                    note="Only labels marked “finding” beat the best constant answer on held-out "
                                         "articles; the others are not findings."))
    elif shares is not None:
        section.notes.append("No comment was labelled: " + (
            f"no label model is installed ({info.get('how_to_build') or 'analyzer labels train --omp FILE'})."
            if info.get("state") == "model-absent" else "the model scored none of the comments."))
    if rates is not None and not rates.is_empty():
        overall = rates.filter(pl.col("by") == "all")
        if not overall.is_empty():
            k, n = int(overall["n_removed"].sum()), int(overall["n_comments"].sum())
            section.numbers.append(("removed by moderators", format_share(k, n)))
            if k == 0:
                section.notes.append(f"Moderators removed none of the {n:,} comments readers wrote: no removal "
                                     "rates by group.")
                return section
        for by, title in (("depth", "Removal rate by reply depth"),
                          ("stance_parent", "Removal rate by stance toward the parent"),
                          ("hours_since_first", "Removal rate by hours after the thread's first comment")):
            part = rates.filter(pl.col("by") == by)
            if not part.is_empty():
                section.panels.append(Panel(f"run-removed-{by}", title, F.rate_bars(part.head(15), label="group")))
    return section


def _coordination_section(view: RunView) -> Section | None:
    """Campaigns, co-sharing pairs, the most active authors and activity across the run."""
    from analyzer.outputs import figures as F
    from analyzer.views import coordination as coord

    if not coord.has_stage(view) or coord.skipped_reason(view):
        return None
    section = Section(None, "Across threads: campaigns, co-sharing, authors")
    m = coord.corpus_numbers(view)
    section.numbers = [("campaigns", format_value("n", m.get("n_near_duplicate_clusters"))),
                       ("co-sharing pairs", format_value("n", m.get("n_colink_pairs"))),
                       ("coordinated groups", format_value("n", m.get("n_colink_components"))),
                       ("named authors", format_value("n", m.get("n_authors"))),
                       ("top 1 % of authors wrote", _pct(m.get("top1pct_author_share"))),
                       ("anonymous comments", _pct(m.get("anonymous_share")))]
    section.notes.append("Co-sharing: " + coord.interval_text(coord.interval_info(view)) + ".")
    clusters = coord.clusters(view)
    if clusters is not None and not clusters.is_empty():
        section.tables.append(Table(
            f"Campaigns: near-identical comments ({clusters.height:,})",
            ["campaign", "copies", "accounts", "threads", "first", "text (medoid)"],
            [[f"#{r['cluster_id']}", str(r["size"]), str(r["n_accounts"]), str(r["n_threads"]),
              r["first_at"].strftime("%Y-%m-%d %H:%M") if r["first_at"] else "–", excerpt(r["medoid_text"], 200)]
             for r in clusters.head(MAX_TABLE_ROWS).iter_rows(named=True)]))
    pairs = coord.colink_pairs(view)
    if pairs is not None and not pairs.is_empty():
        section.tables.append(Table(
            f"Accounts that shared the same URLs within the interval ({pairs.height:,} pairs)",
            ["account", "and account", "URLs shared", "first", "URLs"],
            [[r["author_a"], r["author_b"], str(r["n_shared"]),
              r["first_at"].strftime("%Y-%m-%d %H:%M:%S") if r["first_at"] else "–",
              excerpt(" ".join(r["urls"] or []), 200)] for r in pairs.head(MAX_TABLE_ROWS).iter_rows(named=True)]))
    authors = coord.authors(view)
    if authors is not None and not authors.is_empty():
        section.tables.append(Table(
            f"Most active authors ({authors.height:,} in all)",
            ["author", "comments", "threads", "replies given", "received", "denials received"],
            [[r["author"], str(r["n_comments"]), str(r["n_threads"]), str(r["n_replies_given"]),
              str(r["n_replies_received"]), "–" if r["n_deny_received"] is None else str(r["n_deny_received"])]
             for r in authors.head(MAX_TABLE_ROWS).iter_rows(named=True)]))
    network = coord.author_network(view)
    if network is not None and not network[0].is_empty():
        section.panels.append(Panel("run-author-network", "Who replies to whom (the 40 most connected authors)",
                                    F.author_network(network[0], network[1])))
    found = coord.activity(view)
    if found is not None and not found[0].is_empty():
        series, width = found
        section.panels.append(Panel("run-activity", "Comments over time (all articles)",
                                    F.time_series(series, width="1h" if width <= 3_600 else "1d", show="volume")))
    return section


def _source_key(run: Run, options: dict[str, Any], comparison: Comparison | None) -> str:
    """What a report is built from; equal keys mean the existing report is up to date."""
    parts = {
        "report_version": REPORT_VERSION,
        "analyzer_version": __version__,
        "run_manifest_sha256": file_sha256(run.path / MANIFEST),
        "options": options,
        "comparison_sha256": comparison.fingerprint() if comparison is not None else None,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _existing_manifest(out: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("kind") == REPORT_KIND else None


def parse_formats(spec: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"html,png"`` or a list to a tuple of known formats, in canonical order."""
    if spec is None:
        return DEFAULT_FORMATS
    names = [s.strip().lower() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(f"unknown report format(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in names)


def build_report(
    run_dir: str | Path,
    out: str | Path,
    *,
    formats: str | list[str] | tuple[str, ...] | None = None,
    force: bool = False,
    comparison: Comparison | None = None,
    max_articles: int = MAX_ARTICLES,
    max_nodes: int = MAX_ICICLE_NODES,
) -> ReportResult:
    """Write the report of ``run_dir`` into ``out`` (atomically), or find it up to date.

    Args:
        run_dir: a finished run folder.
        out: the report folder to write.
        formats: any of "html", "png", "parquet" (default: all); the manifest is always written.
        force: rebuild even when ``out`` holds a report of the same inputs, and replace a
            report of another run.
        comparison: the comparison with an earlier run, shown in the page and written as files.
        max_articles: articles with their own section.
        max_nodes: nodes drawn per reply-tree figure.

    Raises:
        UsageError: ``out`` exists and is not a report, or holds a report of something else
            and ``force`` is not set.
        RunFolderError: ``run_dir`` is not a finished run.

    Example:
        >>> result = build_report("runs/page", "reports/page", formats="html,parquet")  # doctest: +SKIP
        >>> result.status  # doctest: +SKIP
        'written'
    """
    run = read_run(run_dir)
    chosen = parse_formats(formats)
    out = Path(out).absolute()
    options = {"formats": list(chosen), "max_articles": max_articles, "max_nodes": max_nodes}
    key = _source_key(run, options, comparison)
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"{out}: exists and is not a folder")
        existing = _existing_manifest(out)
        if existing is None and any(out.iterdir()):
            raise UsageError(f"{out}: folder exists and is not an analyzer report; refusing to overwrite it")
        if existing is not None and not force:
            if existing.get("source_key") == key and existing.get("complete") is True:
                return ReportResult(out, "up-to-date", list(existing.get("warnings", [])),
                                    sorted(existing.get("files", {})))
            raise UsageError(f"{out}: holds a report of another run or other options; use --force to replace it")

    sections = collect_sections(run, max_articles=max_articles, max_nodes=max_nodes)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.make_temp_folder(out)  # locked, so a concurrent writer's clean-up skips it
    warnings: list[str] = []
    try:
        figures_meta = _write_contents(tmp, run, sections, chosen, comparison, warnings)
        files = {}
        for path in sorted(p for p in tmp.rglob("*") if p.is_file()):
            path.chmod(0o644)
            files[path.relative_to(tmp).as_posix()] = {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
        for folder in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)  # mkdtemp makes it owner-only; a report is shared like any output
        manifest = {
            "kind": REPORT_KIND,
            "report_version": REPORT_VERSION,
            "analyzer_version": __version__,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),  # the only varying field
            "source_key": key,
            "run": {"path": str(run.path.absolute()), "created_at": run.manifest.get("created_at"),
                    "manifest_sha256": file_sha256(run.path / MANIFEST)},
            "options": options,
            "comparison": comparison.summary() if comparison is not None else None,
            "figures": figures_meta,
            "warnings": warnings,
            "files": files,
            "complete": True,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                                    encoding="utf-8")
        (tmp / MANIFEST).chmod(0o644)
        replace_folder(tmp, out)
    except BaseException:
        atomic.discard_temp_folder(tmp)
        raise
    return ReportResult(out, "written", warnings, sorted([*files, MANIFEST]))


def _write_contents(tmp: Path, run: Run, sections: list[Section], formats: tuple[str, ...],
                    comparison: Comparison | None, warnings: list[str]) -> list[dict[str, Any]]:
    panels = [p for s in sections for p in s.panels]
    figures_meta: list[dict[str, Any]] = [
        {"key": p.key, "title": p.title, "article_id": s.article_id, "png": None}
        for s in sections for p in s.panels
    ]
    if "parquet" in formats:
        run.metrics.write_parquet(tmp / "metrics.parquet", statistics=True)
        headline_table(run).write_parquet(tmp / "headline.parquet", statistics=True)
        if comparison is not None:
            for name, frame in comparison.frames().items():
                frame.write_parquet(tmp / name, statistics=True)
    if comparison is not None:
        (tmp / "comparison.json").write_text(comparison.to_json(), encoding="utf-8")
    if "png" in formats and panels:
        (tmp / "figures").mkdir()
        paths = [tmp / "figures" / f"{p.key}.png" for p in panels]
        warning = _png_warning(panels, paths)
        if warning is None:
            for meta, path in zip(figures_meta, paths, strict=True):
                meta["png"] = path.relative_to(tmp).as_posix()
        else:
            warnings.append(warning)
            shutil.rmtree(tmp / "figures", ignore_errors=True)
    if "html" in formats:
        from analyzer.outputs.report.html import render_page

        (tmp / "index.html").write_text(render_page(run, sections, comparison, warnings), encoding="utf-8")
    return figures_meta


def _png_warning(panels: list[Panel], paths: list[Path]) -> str | None:
    from analyzer.outputs.report.png import write_pngs

    warning = write_pngs([p.figure for p in panels], paths)
    return None if warning is None else warning[:500]
