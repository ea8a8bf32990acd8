"""Link extraction, normalisation, the links stage and its metrics (analyzer/stages/links/)."""

from __future__ import annotations

import itertools
import math
import re
import socket
import time
import tomllib
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.domains.store import ImportOptions, import_list
from analyzer.ingest import Ingested
from analyzer.stages import links
from analyzer.stages.context import StageContext
from analyzer.stages.links import extraction as link_extraction
from analyzer.stages.links import frames as link_frames
from analyzer.stages.links import metrics as link_metrics
from analyzer.stages.links import patterns as link_patterns
from analyzer.tree.forest import Forest, build_forest
from tests.conftest import HANG_LIMIT_S, ROOT, SHARED, raw_articles, raw_comments

CASES = tomllib.loads((Path(__file__).resolve().parents[2] / "data" / "link_cases.toml").read_text(encoding="utf-8"))["case"]
REFERENCE_PAGE = SHARED / "seeds" / "000_4a71c00d018d265b.txt"


def _expected(case: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (e["url"], e["domain"], e["obfuscation"], e.get("platform"), e.get("in_quote", False))
        for e in case["links"]
    ]


def _found(text: str) -> list[tuple[Any, ...]]:
    return [
        (lk.url, lk.registered_domain, lk.obfuscation or "", lk.platform_path, lk.in_quote)
        for lk in links.extract_links(text).links
    ]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _context(forest: Forest, **settings: Any) -> StageContext:
    ingested = Ingested(
        comments=schemas.empty(schemas.RAW_COMMENTS),
        articles=schemas.empty(schemas.RAW_ARTICLES),
        blocks=schemas.empty(schemas.ARTICLE_BLOCKS),
    )
    return StageContext(forest=forest, ingested=ingested, settings=settings)


def _values(metrics: pl.DataFrame, scope: str, subject: str) -> dict[str, float | None]:
    rows = metrics.filter(scope=scope, subject_id=subject)
    return dict(zip(rows["metric"].to_list(), rows["value"].to_list(), strict=True))


# --- The written test set -------------------------------------------------------------------


def test_case_set_is_large_and_balanced() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if not c["links"]) >= 15, "need negatives"
    rules = {e["obfuscation"] for c in CASES for e in c["links"]}
    assert {"", "underscore-scheme", "hxxp", "dot-bracket", "dot-word", "colon-bracket", "masked-scheme"} <= rules
    for case in CASES:
        for e in case["links"]:
            assert e["url"] in case["text"], case["id"]


def test_precision_and_recall_on_the_case_set() -> None:
    tp = fp = fn = 0
    failing: list[str] = []
    for case in CASES:
        expected, found = _expected(case), _found(case["text"])
        hits = [f for f in found if f in expected]
        tp += len(hits)
        fp += len(found) - len(hits)
        fn += len(expected) - len(hits)
        if found != expected:
            failing.append(f"{case['id']}: expected {expected}, found {found}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    detail = "\n".join(failing)
    assert precision >= 0.95, f"precision {precision:.3f}; failing cases:\n{detail}"
    assert recall >= 0.95, f"recall {recall:.3f}; failing cases:\n{detail}"
    # Quality gate: every case passes today; a regression must be looked at, not absorbed.
    assert not failing, detail


@pytest.mark.parametrize("case", [c for c in CASES if c["links"]], ids=lambda c: c["id"])
def test_offsets_index_the_text(case: dict[str, Any]) -> None:
    for link in links.extract_links(case["text"]).links:
        assert case["text"][link.start_char : link.end_char] == link.url


# --- Normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised", "host"),
    [
        ("_____://www.Example.RU/a/B", "https://example.ru/a/B", "example.ru"),
        ("____://example.ru/x", "http://example.ru/x", "example.ru"),
        ("hxxp://example[.]com/x", "http://example.com/x", "example.com"),
        ("hxxps[:]//example(dot)com", "https://example.com", "example.com"),
        ("www.example.de/pfad?q=1", "https://example.de/pfad?q=1", "example.de"),
        ("HTTP://WWW.EXAMPLE.ORG:8080/Path", "http://example.org:8080/Path", "example.org"),
        ("https://sub.www.example.com/", "https://sub.www.example.com/", "sub.www.example.com"),
    ],
)
def test_normalisation(text: str, normalised: str, host: str) -> None:
    (link,) = links.extract_links(text).links
    assert link.url_normalised == normalised
    assert link.host == host


def test_suffix_and_cctld() -> None:
    (link,) = links.extract_links("https://news.example.co.uk/a").links
    assert (link.registered_domain, link.suffix) == ("example.co.uk", "co.uk")
    assert links.cctld("co.uk") == "uk"
    assert links.cctld("рф") == "ru"
    assert links.cctld("com") == "generic"
    assert links.cctld(None) is None


@pytest.mark.parametrize(
    ("host", "path", "expected"),
    [
        ("t.me", "/s/Kanal/5", "t.me/kanal"),
        ("t.me", "/joinchat/AAAA", None),
        ("twitter.com", "/search?q=x", None),
        ("twitter.com", "/Nutzer", "twitter.com/nutzer"),
        ("youtube.com", "/watch?v=1", None),
        ("youtube.com", "/c/Sendung", "youtube.com/c/sendung"),
        ("youtube.com", "/user/Alt", "youtube.com/user/alt"),
        ("vk.com", "/wall-123_456", None),
        ("facebook.com", "/groups/12345/", "facebook.com/groups/12345"),
        ("facebook.com", "/sharer.php?u=x", None),
        ("www.substack.com", "/", None),
        ("reddit.com", "/r/de/comments/x", "reddit.com/r/de"),
        ("example.com", "/@name", None),
    ],
)
def test_platform_paths(host: str, path: str, expected: str | None) -> None:
    domain = links.split_host(host).registered_domain
    assert links.platform_path(host, domain, path) == expected


def test_quote_spans() -> None:
    text = "> zitiert\nnormal\nZitat:\nerste\nzweite\n\ndanach\nQuote from Bob: hi"
    spans = links.quote_spans(text)
    quoted = [text[a:b] for a, b in spans]
    # The quote stage's block definition: markers are not part of the quoted words.
    assert quoted == ["zitiert", "erste", "zweite", "hi"]


# --- Bad input --------------------------------------------------------------------------------

ADVERSARIAL = {
    "dots": "." * 100_000,
    "letters": "a" * 100_000,
    "schemes": "http://" * 15_000,
    "www": "www." * 25_000,
    "label-dots": "a." * 50_000,
    "defanged": "hxxp[:]//a[.]" * 8_000,
    "underscores": "_" * 100_000 + "://x.de",
    "open-parens": "https://a.de/" + "(" * 50_000,
    "close-parens": "https://a.de/" + ")" * 50_000,
    "bracket-dots": "a" + "[.]a" * 25_000,
    "long-labels": ("a" * 63 + ".") * 2_000,
    "stars": "*" * 100_000,
    "dot-words": "(dot)" * 20_000,
    "emails": "a.b@" * 25_000,
    "slashes": "a.de" + "/" * 100_000,
    "questions": "https://a.de/" + "?" * 100_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_strings_finish_fast(name: str) -> None:
    links.extract_links("warm up https://a.de")
    start = time.process_time()
    links.extract_links(ADVERSARIAL[name])
    assert time.process_time() - start < HANG_LIMIT_S


def test_url_of_10000_characters_is_skipped_with_a_reason() -> None:
    text = "Seht: https://example.com/" + "x" * 10_000 + " und https://ok.example.org/a"
    found = links.extract_links(text)
    assert [lk.url for lk in found.links] == ["https://ok.example.org/a"]
    assert len(found.skipped) == 1 and "8192" in found.skipped[0][1]


def test_one_megabyte_comment_is_scanned_whole() -> None:
    text = "Ein langer Text ohne Links. " * 37_000 + "Am Ende: https://ende.example.de/x"
    assert len(text) > 1_000_000
    start = time.process_time()
    found = links.extract_links(text)
    assert time.process_time() - start < HANG_LIMIT_S
    assert [lk.registered_domain for lk in found.links] == ["example.de"]


def test_mixed_scripts_emoji_and_controls() -> None:
    text = "Смотри 👉 https://пример.рф/1 \x00 und 中文 https://例子.中国/路径 🙂 www.example.de\x07"
    assert [lk.registered_domain for lk in links.extract_links(text).links] == ["пример.рф", "例子.中国", "example.de"]


def test_too_long_text_is_cut_with_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link_extraction, "MAX_TEXT_CHARS", 50)
    found = links.extract_links("x" * 60 + " https://a.example.de/")
    assert found.links == [] and "not scanned" in found.skipped[0][1]


# --- tldextract stays offline ----------------------------------------------------------------


def test_tldextract_never_touches_network_or_disk(
    no_network: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "tld"))
    link_patterns._extractor.cache_clear()
    links.split_host.cache_clear()
    try:
        info = links.split_host("a.b.example.com.au")
        assert (info.registered_domain, info.suffix) == ("example.com.au", "com.au")
        assert links.extract_links("hxxps://neu.example[.]co.jp/x").links[0].registered_domain == "example.co.jp"
    finally:
        link_patterns._extractor.cache_clear()
        links.split_host.cache_clear()
    assert list(tmp_path.rglob("*")) == []


# --- Stage and metrics ------------------------------------------------------------------------


def _small_forest() -> Forest:
    raw = raw_comments(
        [
            {"comment_id": "1", "text": "Ohne Link."},
            {"comment_id": "2", "parent_id": "1", "text": "https://a.example.ru/x und https://b.example.ru/y"},
            {"comment_id": "3", "parent_id": "2", "text": "siehe hxxps://andere[.]de/z"},
            {"comment_id": "4", "text": "> https://meine-seite.de/artikel\nstimmt"},
            {"comment_id": "5", "kind": "deleted", "text": "[deleted]"},
            {"comment_id": "6", "text": "   "},
        ]
    )
    articles = raw_articles(
        [{"article_id": "a", "url": "https://www.meine-seite.de/artikel", "body": "Im Text: t.me/kanal/1"}]
    )
    return build_forest(raw, articles)


def test_stage_frames_and_thread_metrics(tmp_path: Path) -> None:
    result = links.run_stage(_context(_small_forest(), domains_dir=str(tmp_path)))
    frame = result.frames["links.parquet"]
    assert frame.schema == schemas.LINKS
    assert frame.filter(pl.col("comment_id").is_null())["platform_path"].to_list() == ["t.me/kanal"]
    assert sorted(frame.drop_nulls("comment_id")["comment_id"].to_list()) == ["2", "2", "3", "4"]
    assert "5" not in frame["comment_id"].to_list()  # deleted placeholders are not analysed
    thread = _values(result.metrics, "thread", "a")
    assert thread["n_text_comments"] == 4  # 1, 2, 3, 4 (the blank one and the deleted one excluded)
    assert thread["n_links"] == 4
    assert thread["n_article_links"] == 1
    assert thread["link_comment_share"] == pytest.approx(3 / 4)
    assert thread["links_per_comment"] == pytest.approx(1.0)
    assert thread["n_domains"] == 3  # example.ru x2, andere.de, meine-seite.de
    assert thread["domain_hhi"] == pytest.approx(0.5**2 + 0.25**2 + 0.25**2)
    assert thread["domain_entropy"] == pytest.approx(1.5)
    assert thread["domain_entropy_norm"] == pytest.approx(1.5 / math.log2(3))
    assert thread["self_citation_share"] == pytest.approx(0.25)
    assert thread["obfuscated_share"] == pytest.approx(0.25)
    assert thread["in_quote_share"] == pytest.approx(0.25)
    assert thread["cctld_link_share"] == pytest.approx(1.0)
    # Pre-order: 1 (seq 0), 2 (seq 1), 3 (seq 2), 4, 5, 6: first linking comment is "2".
    assert thread["first_link_seq"] == 1
    assert thread["first_link_position"] == pytest.approx(1 / 4)
    assert thread["mean_link_depth"] == pytest.approx((2 + 3 + 1) / 3)
    assert _values(result.metrics, "domain", "example.ru") == {"n_links": 2, "link_share": 0.5, "n_linking_comments": 1}
    assert _values(result.metrics, "cctld", "ru")["n_links"] == 2
    assert _values(result.metrics, "comment", "2") == {"n_links": 2}
    assert _values(result.metrics, "comment", "1") == {"n_links": 0}
    assert result.metrics.schema == schemas.METRICS
    assert set(result.metrics["metric"].unique()) <= set(links.METRICS)


def test_removed_comment_with_text_has_its_links_extracted(tmp_path: Path) -> None:
    # Moderated posts that keep their text (One Million Posts Status = deleted) are a subject:
    # their links are extracted like any other's; comments.parquet says they were removed.
    raw = raw_comments([
        {"comment_id": "1", "text": "siehe https://sichtbar.example.org/a"},
        {"comment_id": "2", "kind": "deleted", "text": "Alles Lüge, lest https://geloescht.example.com/x"},
        {"comment_id": "3", "kind": "removed", "text": "[removed]"},
    ])
    forest = build_forest(raw, raw_articles([{"article_id": "a"}]))
    frame = links.run_stage(_context(forest, domains_dir=str(tmp_path))).frames["links.parquet"]
    assert sorted(zip(frame["comment_id"].to_list(), frame["registered_domain"].to_list(), strict=True)) == [
        ("1", "example.org"), ("2", "example.com")]


def test_stage_on_empty_forest(tmp_path: Path) -> None:
    forest = build_forest(schemas.empty(schemas.RAW_COMMENTS), raw_articles([{"article_id": "a"}]))
    result = links.run_stage(_context(forest, domains_dir=str(tmp_path)))
    assert result.frames["links.parquet"].height == 0
    thread = _values(result.metrics, "thread", "a")
    assert thread["n_links"] == 0 and thread["link_comment_share"] is None and thread["domain_hhi"] is None


def test_stage_attaches_ratings_and_coverage(tmp_path: Path) -> None:
    table = tmp_path / "liste.csv"
    table.write_text("domain,score\nexample.ru,0.2\nhttps://www.andere.de/,0.9\n", encoding="utf-8")
    import_list(table, ImportOptions(name="test", rating_column="score", list_date="2019", licence="CC0"), folder=tmp_path)
    context = _context(_small_forest(), domains_dir=str(tmp_path), ratings_reference_date="2024-06-01")
    result = links.run_stage(context)
    listed = _values(result.metrics, "list", "test")
    assert listed["rating_coverage"] == pytest.approx(3 / 4)
    assert listed["n_rated"] == 3
    assert listed["mean_rating"] == pytest.approx((0.2 + 0.2 + 0.9) / 3)
    assert listed["stale_list"] == 1.0
    assert listed["imputed_share"] == 0.0
    assert result.manifest["domain_lists"][0]["licence"] == "CC0"


def test_missing_list_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    result = links.run_stage(_context(_small_forest(), domains_dir=str(tmp_path), domain_lists=["nope"]))
    assert [i.code for i in result.issues] == ["domain-list-missing"]


def test_long_link_in_a_comment_becomes_an_issue(tmp_path: Path) -> None:
    raw = raw_comments([{"comment_id": "1", "text": "https://example.com/" + "y" * 10_000}])
    forest = build_forest(raw, raw_articles([{"article_id": "a"}]))
    result = links.run_stage(_context(forest, domains_dir=str(tmp_path)))
    assert [(i.code, i.comment_id) for i in result.issues] == [("link-skipped", "1")]


def test_metric_registry() -> None:
    assert links.describe("domain_hhi").reference
    with pytest.raises(Exception, match="did you mean"):
        links.describe("domain_hh")
    assert links.hhi([]) is None and links.hhi([1, 1]) == 0.5
    assert links.entropy_bits([1, 1, 1, 1]) == 2.0


def test_site_domain() -> None:
    assert links.site_domain("https://www.example.de/2022/01/text/", None) == "example.de"
    assert links.site_domain(None, "www.example.org") == "example.org"
    assert links.site_domain(None, "Anti-Spiegel") is None


# --- Reference page and the repository's own fixture -----------------------------------------


def test_reference_page_links() -> None:
    if not REFERENCE_PAGE.is_file():
        pytest.skip(f"reference page {REFERENCE_PAGE} is absent (shared data folder)")
    from analyzer.pipeline import analyse

    analysis = analyse([REFERENCE_PAGE], stages="structure")
    result = links.run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={"domain_lists": []}))
    frame = result.frames["links.parquet"]
    assert frame.filter(pl.col("comment_id").is_null()).height == 0, "the article body holds no links"
    found = sorted(frame.select("registered_domain", "obfuscation").iter_rows())
    assert found == [("fondsk.ru", "underscore-scheme"), ("rusvesna.su", None)]
    assert _values(result.metrics, "thread", analysis.forest.articles["article_id"][0])["obfuscated_share"] == 0.5


def test_obfuscated_links_fixture() -> None:
    fixture = ROOT / "fixtures" / "de_obfuscated_links" / "input.txt"
    if not fixture.is_file():
        pytest.skip("fixture de_obfuscated_links is absent")
    from analyzer.pipeline import analyse

    analysis = analyse([fixture], stages="structure")
    result = links.run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={"domain_lists": []}))
    frame = result.frames["links.parquet"].sort("comment_id", "start_char")
    assert frame.select("comment_id", "registered_domain", "obfuscation").rows() == [
        ("c1", "example.net", "hxxp"),
        ("c2", "example.com", "underscore-scheme"),
        ("c3", "example.net", "dot-bracket"),
        ("c4", "example.org", None),
        ("c4", "example.org", None),
    ]


def test_stage_in_the_pipeline_writes_a_run(tmp_path: Path) -> None:
    """The declared links stage runs through the pipeline and writes its frames."""
    from analyzer.core.run import read_run
    from analyzer.pipeline import analyse

    fixture = ROOT / "fixtures" / "de_obfuscated_links" / "input.txt"
    if not fixture.is_file():
        pytest.skip("fixture de_obfuscated_links is absent")
    analyse([fixture], out=tmp_path / "run", stages="links", stage_settings={"domains_dir": str(tmp_path / "none")})
    run = read_run(tmp_path / "run")
    assert run.frame("links.parquet").height == 5
    assert run.metrics.filter(scope="thread", metric="obfuscated_share")["value"].to_list() == [pytest.approx(0.6)]


# --- The vectorised paths: candidate prefilter and whole-frame metrics ----------------------


def test_prefilter_word_class_covers_every_python_word_character() -> None:
    # The scanner's start pattern needs a Python [\w-] character on each side of a dot; the
    # polars prefilter must accept every such character or it would drop real links.
    pattern = link_frames._prefilter()
    assert pattern is not None
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    word_char = re.compile(r"[\w-]")
    word = [c for c in chars if word_char.fullmatch(c)]
    texts = pl.Series([f"{c}.{c}" for c in word])
    missed = texts.filter(~texts.str.contains(pattern)).to_list()
    assert len(word) > 100_000 and missed == []


NO_LINK_TEXTS = [
    "Ganz normaler Satz. Noch einer!",
    "Das Ende... und dann?",
    "",
    "z.B. so",  # a candidate for the scanner, which rejects it: kept by the prefilter, no link
    "E-Mail: a.b@example.com",
    "Version 2.0.1 ist da",
    "HTTPS[:]//example[.]com",
    "hxxps://",  # a scheme with no host: a rejected candidate, must reach the scanner
]


def test_link_candidates_keep_every_text_the_scanner_finds_something_in() -> None:
    texts = [c["text"] for c in CASES] + NO_LINK_TEXTS
    frame = pl.DataFrame({"i": range(len(texts)), "text": texts})
    kept = set(links.link_candidates(frame, "text").get_column("i").to_list())
    for i, text in enumerate(texts):
        found = links.extract_links(text)
        if found.links or found.rejected or found.notes or found.n_found:
            assert i in kept, text
    plain = len(CASES)  # the first two NO_LINK_TEXTS: plain sentences are not scanned
    assert plain not in kept and plain + 1 not in kept
    assert len(kept) > len(CASES) // 2


def test_link_candidates_keep_overlong_texts_and_drop_nulls() -> None:
    frame = pl.DataFrame({"text": ["kein Link " * 10, None, "x" * (links.MAX_TEXT_CHARS + 1)]})
    assert links.link_candidates(frame, "text").get_column("text").str.len_chars().to_list() == [
        links.MAX_TEXT_CHARS + 1
    ]


_SNIPPETS = [
    "siehe https://www.example.ru/a und example.ru/b",
    "Quelle: hxxps://andere[.]de/x",
    "> https://zitat.example.com/q\nmeine Meinung",
    "t.me/kanal/5 und youtube.com/@name",
    "http://beispiel.co.uk/seite",
    "ohne Link, nur Text.",
    "noch ein Satz ohne Verweis",
    "https://xn--80ak6aa92e.xn--p1ai/ und https://example.com",
    "www.example.org",
]


def _random_forest(seed: int) -> Forest:
    import random

    rng = random.Random(seed)
    comments: list[pl.DataFrame] = []
    articles = []
    for a in range(4):
        aid = f"art{a}"
        rows: list[dict[str, Any]] = []
        for i in range(rng.randrange(0, 25)):
            parent = rng.choice([None, *[r["comment_id"] for r in rows]]) if rows else None
            rows.append({
                "comment_id": f"{aid}-{i}", "parent_id": parent, "text": rng.choice(_SNIPPETS),
                "kind": "deleted" if rng.random() < 0.05 else "comment",
            })
        if rows:
            comments.append(raw_comments(rows, article_id=aid))
        articles.append({"article_id": aid, "url": rng.choice([None, "https://www.example.ru/artikel"]),
                         "body": rng.choice([None, "Im Text: t.me/kanal/1", "kein Link"])})
    raw = pl.concat(comments) if comments else schemas.empty(schemas.RAW_COMMENTS)
    return build_forest(raw, raw_articles(articles))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_link_metrics_rows_come_in_thread_blocks(seed: int, tmp_path: Path) -> None:
    forest = _random_forest(seed)
    metrics = links.run_stage(_context(forest, domains_dir=str(tmp_path))).metrics
    assert metrics is not None
    rows = metrics.filter(pl.col("scope") != "comment").rows()
    order = forest.articles.get_column("article_id").to_list()
    thread_names = [m.name for m in link_metrics._REGISTRY if "thread" in m.scopes]
    runs = [(aid, list(block)) for aid, block in itertools.groupby(rows, key=lambda r: r[0])]
    assert [aid for aid, _ in runs] == order  # one contiguous block per article, in article order
    for _, block in runs:
        assert [r[3] for r in block[:17]] == thread_names and {r[1] for r in block[:17]} == {"thread"}
        rest = block[17:]
        scopes = [r[1] for r in rest]
        assert scopes == sorted(scopes, key=["domain", "cctld"].index)
        for scope, per in (("domain", 3), ("cctld", 2)):
            subjects = [r[2] for r in rest if r[1] == scope][::per]
            assert subjects == sorted(subjects) and len(set(subjects)) == len(subjects)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_link_metrics_match_the_scalar_definitions(seed: int, tmp_path: Path) -> None:
    forest = _random_forest(seed)
    result = links.run_stage(_context(forest, domains_dir=str(tmp_path)))
    frame = result.frames["links.parquet"].filter(pl.col("comment_id").is_not_null())
    visible = links.visible_comments(forest.comments).sort("seq")
    assert result.metrics is not None
    for aid in forest.articles.get_column("article_id").to_list():
        mine = frame.filter(pl.col("article_id") == aid)
        keys = [d or h for d, h in mine.select("registered_domain", "host").iter_rows()]
        counts = list(dict.fromkeys(keys))
        tally = [keys.count(k) for k in counts]
        thread = _values(result.metrics, "thread", aid)
        # Exactly equal, not approximately: the sums run in the same order as the scalar ones.
        assert thread["domain_hhi"] == links.hhi(tally)
        assert thread["domain_entropy"] == links.entropy_bits(tally)
        assert thread["n_domains"] == len(counts) and thread["n_links"] == len(keys)
        texts = visible.filter(pl.col("article_id") == aid)
        linked = set(mine.get_column("comment_id").to_list())
        ranks = [i for i, c in enumerate(texts.get_column("comment_id").to_list()) if c in linked]
        if ranks:
            assert thread["first_link_seq"] == texts.get_column("seq")[ranks[0]]
            assert thread["first_link_position"] == ranks[0] / texts.height
            assert thread["link_comment_share"] == len(ranks) / texts.height
        else:
            assert thread["first_link_seq"] is None and thread["first_link_position"] is None
        for key in counts:
            got = _values(result.metrics.filter(pl.col("article_id") == aid), "domain", key)
            assert got["n_links"] == keys.count(key) and got["link_share"] == keys.count(key) / len(keys)


def test_link_metrics_of_no_articles() -> None:
    empty = links.compute_link_metrics(
        schemas.empty(schemas.LINKS), schemas.empty(schemas.COMMENTS), schemas.empty(schemas.ARTICLES),
        None, [{"name": "x", "stale": None}],
    )
    assert empty.height == 0 and empty.schema == schemas.METRICS


# --- Normalisation tables: tracking parameters, redirect wrappers, aliases (issue 13) ---------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("https://www.example.de/a?id=3&utm_source=fb&utm_medium=social&fbclid=IwAR0x#top", "https://example.de/a?id=3#top"),
        ("https://example.org/p?gclid=abc&mc_eid=1&mc_cid=2", "https://example.org/p"),
        ("https://example.org/p?UTM_Campaign=x&page=2", "https://example.org/p?page=2"),  # names are case-insensitive
        ("https://example.org/p?page=2&si=keep", "https://example.org/p?page=2&si=keep"),  # "si" is tracking only on youtube
        ("https://youtu.be/abcDEF?si=trackme&t=42", "https://youtu.be/abcDEF?t=42"),
        ("https://example.org/#frag?utm_source=x", "https://example.org/#frag?utm_source=x"),  # "?" inside the fragment
    ],
)
def test_tracking_parameters_are_removed(text: str, normalised: str) -> None:
    (link,) = links.extract_links(text).links
    assert link.url_normalised == normalised
    assert link.url == text  # what was written stays as written


@pytest.mark.parametrize(
    ("text", "domain", "normalised", "redirect"),
    [
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.ru%2Fnews%2F1%3Futm_source%3Dfb&h=AT0x",
         "example.ru", "https://example.ru/news/1", "l.facebook.com/l.php"),
        ("https://www.google.de/url?sa=t&url=https%3A%2F%2Fexample.org%2Fa&usg=x", "example.org", "https://example.org/a",
         "google.de/url"),
        ("https://www.google.com/url?q=https://beispiel.at/b&sa=U", "beispiel.at", "https://beispiel.at/b", "google.com/url"),
        ("https://out.reddit.com/t3_abc?url=https%3A%2F%2Fexample.com%2Fx&token=1", "example.com", "https://example.com/x",
         "out.reddit.com/t3_abc"),
        ("https://vk.com/away.php?to=http%3A%2F%2Fexample.su%2Fz", "example.su", "http://example.su/z", "vk.com/away.php"),
        ("https://www.youtube.com/redirect?q=https%3A%2F%2Fexample.net%2F&v=1", "example.net", "https://example.net/",
         "youtube.com/redirect"),
        ("https://deref-gmx.net/mail/client/abc/dereferrer/?redirectUrl=https%3A%2F%2Fwww.example.de%2Fartikel",
         "example.de", "https://example.de/artikel", "deref-gmx.net/mail/client/abc/dereferrer/"),
        # Doubly encoded, and a wrapper inside a wrapper.
        ("https://l.facebook.com/l.php?u=https%253A%252F%252Fexample.ru%252Fq", "example.ru", "https://example.ru/q",
         "l.facebook.com/l.php"),
        ("https://www.google.com/url?q=https%3A%2F%2Fl.facebook.com%2Fl.php%3Fu%3Dhttps%253A%252F%252Fexample.ru%252Fr",
         "example.ru", "https://example.ru/r", "google.com/url > l.facebook.com/l.php"),
    ],
)
def test_redirect_wrappers_are_unwrapped(text: str, domain: str, normalised: str, redirect: str) -> None:
    (link,) = links.extract_links(text).links
    assert (link.registered_domain, link.url_normalised, link.redirect) == (domain, normalised, redirect)
    assert (link.url, link.start_char, link.end_char) == (text, 0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "https://www.google.com/url?q=nur+suchworte&sa=U",  # the target is not a URL
        "https://l.facebook.com/l.php?h=AT0",  # no target parameter
        "https://t.co/AbC123xyz",  # a shortener: the target is on Twitter's server, unknowable offline
        "https://www.facebook.com/BeispielSeite/posts/1",  # facebook, but not the wrapper path
    ],
)
def test_links_that_are_not_unwrappable_stay_as_they_are(text: str) -> None:
    (link,) = links.extract_links(text).links
    assert link.redirect is None and link.host == link.url.split("/")[2].removeprefix("www.")


@pytest.mark.parametrize(
    ("text", "domain", "platform"),
    [
        ("https://youtu.be/abcDEF", "youtube.com", None),
        ("https://m.youtube.com/watch?v=abcDEF", "youtube.com", None),
        ("https://www.youtube.com/@Kanal", "youtube.com", "youtube.com/@kanal"),
        ("https://twitter.com/Nutzer/status/1", "x.com", "x.com/nutzer"),
        ("https://mobile.twitter.com/Nutzer", "x.com", "x.com/nutzer"),
        ("https://x.com/Nutzer", "x.com", "x.com/nutzer"),
        ("https://telegram.me/kanal", "t.me", "t.me/kanal"),
        ("https://fb.com/BeispielSeite", "facebook.com", "facebook.com/beispielseite"),
    ],
)
def test_aliases_count_as_one_source(text: str, domain: str, platform: str | None) -> None:
    (link,) = links.extract_links(text).links
    assert (link.registered_domain, link.platform_path) == (domain, platform)
    assert link.host != "" and link.host in text.lower()  # the host as written is kept


def test_alias_table_is_one_step() -> None:
    from analyzer.domains.rules import load_rules, parse_rules

    rules = load_rules()
    assert rules.aliases["youtu.be"] == "youtube.com" and not set(rules.aliases.values()) & set(rules.aliases)
    data = tomllib.loads((ROOT / "analyzer" / "domains" / "link_rules.toml").read_text(encoding="utf-8"))
    data["alias"] = {"a.com": "b.com", "b.com": "c.com"}
    with pytest.raises(ValueError, match="one step"):
        parse_rules(data)


def test_public_suffix_hosts() -> None:
    assert links.split_host("gov.kz").registered_domain == "gov.kz"
    assert links.split_host("akorda.gov.kz").registered_domain == "akorda.gov.kz"
    assert links.split_host("egov.kz").registered_domain == "egov.kz"
    # ICANN section only: a blog under a private suffix counts as the platform (its source is
    # the platform path, see test_platform_paths).
    info = links.split_host("name.blogspot.com")
    assert (info.registered_domain, info.suffix) == ("blogspot.com", "com")
    # A bare public suffix written in running text is no link ("co.uk" alone, "gov.kz" alone).
    assert links.extract_links("Das steht in gv.at und co.uk").links == []


def test_stage_counts_spaced_unwrapped_and_shortened_links(tmp_path: Path) -> None:
    raw = raw_comments([
        {"comment_id": "1", "text": "Quelle: h t t p s : / / www . beispiel . de"},
        {"comment_id": "2", "text": "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.ru%2Fa und https://t.co/XyZ"},
        {"comment_id": "3", "text": "Schreib an redaktion(at)beispiel.de, oder hxxps://"},
        {"comment_id": "4", "text": "https://youtu.be/a und https://www.youtube.com/watch?v=b"},
    ])
    forest = build_forest(raw, raw_articles([{"article_id": "a"}]))
    result = links.run_stage(_context(forest, domains_dir=str(tmp_path)))
    frame = result.frames["links.parquet"]
    assert frame.schema == schemas.LINKS
    assert frame.select("comment_id", "registered_domain", "redirect").rows() == [
        ("1", "beispiel.de", None),
        ("2", "example.ru", "l.facebook.com/l.php"),
        ("2", "t.co", None),
        ("4", "youtube.com", None),
        ("4", "youtube.com", None),
    ]
    manifest = result.manifest
    # Accounting: the e-mail is no candidate; the bare "hxxps://" is a rejected one.
    assert (manifest["n_found"], manifest["n_link_rows"], manifest["n_rejected"]) == (6, 5, 1)
    assert manifest["n_unwrapped"] == 1 and manifest["n_shortened"] == 1
    assert _values(result.metrics, "thread", "a")["n_domains"] == 4  # beispiel.de, example.ru, t.co, youtube.com
    assert _values(result.metrics, "domain", "youtube.com")["n_links"] == 2


def test_prefilter_keeps_spaced_forms() -> None:
    texts = ["h t t p s : / / www . a . de", "site . de", "site dot de", "https : / / a.de", "seite punkt at"]
    frame = pl.DataFrame({"text": texts})
    assert links.link_candidates(frame, "text").height == len(texts)
