"""Coordinated link sharing: accounts that post the same URL within seconds of each other.

The method follows CooRnet (Giglietto, Righetti, Rossi & Marino 2020, "It takes a village to
manipulate the media: coordinated link sharing behavior during 2018 and 2019 Italian
elections", *Information, Communication & Society* 23(6); the R package CooRnet,
``estimate_coord_interval`` and ``get_coord_shares``), moved from Facebook posts to comments:

* **A share** is a link in a visible comment with a known author and a timestamp.  URLs are
  compared by a key: the links stage's ``url_normalised`` with redirect wrappers unwrapped
  (``google.*/url?q=``, ``l.facebook.com/l.php?u=``, ``youtube.com/redirect?q=`` ... where the
  target is in the URL itself; shorteners such as t.co cannot be resolved offline and are
  compared as written), the scheme unified to https, the fragment, tracking parameters
  (``utm_*``, ``fbclid``, ``gclid`` ...) and a trailing slash dropped.
* **The coordination interval** (the co-share window) is estimated from the data unless set by
  an option, as the *burst gap* (:func:`estimate_burst_gap`): the natural break (Otsu) between
  the fast and the slow consecutive gaps of the quickest URLs (CooRnet's selection: the ``q``
  = 0.1 share of URLs with the quickest second share).  CooRnet's own estimate (the median time
  the quick URLs need to pass ``p`` = 0.5 of their shares) is still computed and recorded
  (``interval_coornet_s``; ``colink_estimator="coornet"`` uses it): it measures half of a
  burst, so a group's slower members fell outside it (the previous default linked 86-98 % of
  the planted pairs), and organic re-shares after a burst stretch it to hours on busy corpora.
* **Co-shares**: two different accounts sharing the same URL key within the interval of each
  other (CooRnet's rule, with a sliding window instead of its fixed time bins, which split
  groups at bin borders), and by default also two accounts in the same *burst*: a run of
  shares of the URL each within the interval of the one before (at most 50 shares; a longer
  run, a URL shared in a steady stream, keeps the pairwise rule).  ``colinks.parquet`` holds
  every pair with at least one co-shared URL.
* **Coordinated pairs** (the components): at least ``min_repeat`` (2) co-shared URLs, as
  CooRnet keeps only repeated coordination, and more than chance explains: each pair's
  co-shares are compared with a null model of independent sharing (:func:`_chance`) and the
  pairs are called at a false discovery rate of 0.05 (Benjamini & Hochberg 1995).  This
  replaces CooRnet's relative cut (edges above the 90th percentile of edge weights), which cut
  a third of the planted pairs on a small corpus and kept busy organic accounts' chance
  co-shares on a large one.

Pairs are found without a self-join: shares are sorted by (URL, time) and each share is
compared with the share k places later, for k = 1, 2, ... while any pair of rows k apart is
still within the interval; each pass is one numpy operation over the remaining rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import polars as pl

from analyzer.core import defaults, schemas
from analyzer.core.settings import build
from analyzer.stages.declarations.coordination import CoordinationSettings

# Redirect wrappers that carry their target in a query parameter: host pattern -> parameters.
_WRAPPERS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^(?:[a-z0-9-]+\.)*google\.[a-z.]+$"), ("q", "url")),
    (re.compile(r"^(?:l|lm|m)\.facebook\.com$"), ("u",)),
    (re.compile(r"^l\.instagram\.com$"), ("u",)),
    (re.compile(r"^(?:m\.)?youtube\.com$"), ("q",)),
    (re.compile(r"^out\.reddit\.com$"), ("url",)),
    (re.compile(r"^t\.umblr\.com$"), ("z",)),
    (re.compile(r"^(?:[a-z0-9-]+\.)*safelinks\.protection\.outlook\.com$"), ("url",)),
    (re.compile(r"^deref-[a-z]+\.(?:net|de|com)$"), ("redirecturl", "redirectUrl")),
    (re.compile(r"^(?:[a-z0-9-]+\.)*duckduckgo\.com$"), ("uddg",)),
)
_WRAPPER_PREFILTER = r"(?i)^https?://[^/]*(google\.|facebook\.com|instagram\.com|youtube\.com|reddit\.com|umblr\.com|outlook\.com|deref-|duckduckgo\.com)"
_TRACKING = r"(?i)(?:utm_[a-z]+|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src|wt_mc)"

# Bursts (see co_shares) longer than this keep the pairwise rule.  A coordinated group posts a
# handful to a few dozen shares per URL; 50 shares give at most 1,225 pairs per burst.
MAX_BURST_SHARES = 50
LINKAGES = ("burst", "pairwise")
DEFAULT_Q = defaults.COLINK_Q
DEFAULT_P = defaults.COLINK_P
# Coordinated pairs: at least this many co-shared URLs and beyond chance at this false discovery
# rate (core/defaults.py).  An FDR of 0.05 means that, if the null model of _chance holds, at most
# about 5 % of the pairs called coordinated are chance pairs; chosen from the project's precision
# target (0.9) with room for the null model's simplifications (accounts with shared interests are
# more alike than it assumes).
DEFAULT_MIN_REPEAT = defaults.COLINK_MIN_REPEAT
DEFAULT_FDR = defaults.COLINK_FDR


@dataclass(frozen=True, slots=True)
class ColinkSettings:
    """``interval_s`` None = estimated from the data (CooRnet); ``q``/``p`` as in CooRnet."""

    interval_s: float | None = None
    q: float = DEFAULT_Q
    p: float = DEFAULT_P
    min_repeat: int | None = None  # None = DEFAULT_MIN_REPEAT
    fdr: float = DEFAULT_FDR
    linkage: str = defaults.COLINK_LINKAGE  # or "pairwise" (see co_shares)
    estimator: str = defaults.COLINK_ESTIMATOR  # or "coornet" (see estimate_burst_gap, estimate_interval)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ColinkSettings:
        """From flat settings (``colink_*``), checked by the stage's declared settings."""
        return cls.from_typed(build(CoordinationSettings, settings))

    @classmethod
    def from_typed(cls, settings: CoordinationSettings) -> ColinkSettings:
        """The detector's parameters from the stage's declared settings."""
        return cls(interval_s=settings.colink_interval_s, q=settings.colink_q, p=settings.colink_p,
                   min_repeat=settings.colink_min_repeat, fdr=settings.colink_fdr, linkage=settings.colink_linkage,
                   estimator=settings.colink_estimator)


@dataclass(slots=True)
class Colinks:
    pairs: pl.DataFrame  # schemas.COLINKS
    components: pl.DataFrame  # schemas.COLINK_COMPONENTS
    info: dict[str, Any]


def unwrap(url: str) -> str:
    """The target of a redirect wrapper URL (one level or nested), else the URL itself.

    Example:
        >>> unwrap("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fa&h=x")
        'https://example.org/a'
    """
    for _ in range(3):
        parts = urlsplit(url)
        host = parts.netloc.lower().split("@")[-1].split(":")[0]
        target = None
        for pattern, names in _WRAPPERS:
            if pattern.match(host):
                query = parse_qs(parts.query)
                for name in names:
                    values = query.get(name) or query.get(name.lower())
                    if values and re.match(r"(?i)^https?://", unquote(values[0])):
                        target = unquote(values[0])
                        break
                break
        if target is None:
            return url
        url = target
    return url


def _lower_host(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    return parts._replace(netloc=host).geturl()


def url_keys(urls: pl.Series) -> pl.Series:
    """Comparison key of normalised URLs (see the module docstring)."""
    frame = pl.DataFrame({"u": urls}).with_columns(
        wrapped=pl.col("u").str.contains(_WRAPPER_PREFILTER)
    )
    wrapped = frame.filter(pl.col("wrapped")).get_column("u").unique()
    mapping = {u: _lower_host(unwrap(u)) for u in wrapped.to_list() if u is not None}
    out = frame.select(
        pl.when(pl.col("wrapped")).then(pl.col("u").replace(mapping)).otherwise(pl.col("u")).alias("k")
    )
    return out.select(
        pl.col("k")
        .str.replace(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "https://")
        .str.replace(r"#.*$", "")
        .str.replace_all(_TRACKING + r"=[^&]*&?", "")
        .str.replace(r"[?&]+$", "")
        .str.replace(r"/+$", "")
    ).to_series()


def shares_frame(links: pl.DataFrame, comments: pl.DataFrame) -> pl.DataFrame:
    """One row per link in a visible, dated comment with an author: ``key, author, t`` (µs)."""
    visible = comments.filter(pl.col("kind") == "comment").select("article_id", "comment_id", "author", "created_at")
    joined = links.filter(pl.col("comment_id").is_not_null()).select(
        "article_id", "comment_id", "url_normalised"
    ).join(visible, on=["article_id", "comment_id"], how="inner")
    joined = joined.filter(pl.col("author").is_not_null() & pl.col("created_at").is_not_null())
    return pl.DataFrame(
        {
            "key": url_keys(joined.get_column("url_normalised")),
            "author": joined.get_column("author"),
            "t": joined.get_column("created_at").dt.epoch("us"),
        }
    ).unique(maintain_order=True)


def estimate_interval(shares: pl.DataFrame, q: float = DEFAULT_Q, p: float = DEFAULT_P) -> float | None:
    """CooRnet's coordination interval in seconds, or None when no URL was shared twice."""
    ranked = _ranked_shares(shares)
    if ranked.height == 0:
        return None
    quick = _quick_keys(ranked, q)
    reach = (
        ranked.filter(pl.col("key").is_in(quick.implode()) & (pl.col("rank") / pl.col("count") > p))
        .group_by("key")
        .agg(pl.col("secs").min())
        .get_column("secs")
    )
    if reach.len() == 0:
        return None
    value = float(reach.quantile(p, interpolation="linear") or 0.0)
    return max(value, 1.0)


def _ranked_shares(shares: pl.DataFrame) -> pl.DataFrame:
    """Shares of URLs shared more than once, in time order per URL: share count, rank, seconds
    since the URL's first share and since its previous share (``gap``; null for the first)."""
    return (
        shares.select("key", "t")
        .sort("key", "t")
        .with_columns(
            count=pl.len().over("key"),
            rank=pl.int_range(1, pl.len() + 1).over("key"),
            secs=(pl.col("t") - pl.col("t").min().over("key")) / 1e6,
            gap=pl.col("t").diff().over("key") / 1e6,
        )
        .filter(pl.col("count") > 1)
    )


def _quick_keys(ranked: pl.DataFrame, q: float) -> pl.Series:
    """URLs whose second share came within the ``q`` quantile of second-share delays (CooRnet)."""
    second = ranked.filter(pl.col("rank") == 2).select("key", "secs")
    cut = second.get_column("secs").quantile(q, interpolation="linear")
    return second.filter(pl.col("secs") <= cut).get_column("key")


def estimate_burst_gap(shares: pl.DataFrame, q: float = DEFAULT_Q) -> float | None:
    """The longest gap between two shares of a URL that still continues a burst, in seconds.

    Consecutive gaps between the shares of the quickest URLs (CooRnet's selection: the ``q``
    share of URLs with the quickest second share) are of two kinds: gaps inside a burst
    (seconds when accounts coordinate) and gaps between bursts or to later organic re-shares
    (hours).  On a log scale the two form separate modes; the gap that best separates them is
    found by Otsu's criterion (the split of the sorted log-gaps with the largest between-class
    variance, i.e. two-class natural breaks; Otsu 1979, Jenks 1967), and the burst gap is the
    geometric midpoint between the longest gap of the fast class and the shortest of the slow
    class.  Unlike the time to reach half of a URL's shares, it does not depend on how many
    organic re-shares follow the burst, and it covers a whole burst, not its first half.
    None when fewer than two gaps.
    """
    ranked = _ranked_shares(shares)
    if ranked.height == 0:
        return None
    quick = _quick_keys(ranked, q)
    gaps = ranked.filter(pl.col("key").is_in(quick.implode()) & pl.col("gap").is_not_null()).get_column("gap")
    x = np.sort(np.log(np.maximum(gaps.to_numpy().astype(np.float64), 1.0)))
    if x.size < 2 or x[0] == x[-1]:
        return None
    n = x.size
    csum = np.cumsum(x)
    i = np.arange(1, n)  # fast class x[:i], slow class x[i:]
    m0 = csum[i - 1] / i
    m1 = (csum[-1] - csum[i - 1]) / (n - i)
    between = i * (n - i) * (m0 - m1) ** 2
    between[x[i] == x[i - 1]] = -1.0  # split only between different values
    best = int(i[int(np.argmax(between))])
    return float(np.exp((x[best - 1] + x[best]) / 2))


def co_shares(shares: pl.DataFrame, interval_s: float, linkage: str = "burst") -> pl.DataFrame:
    """Pairs of different accounts that co-shared a URL key.

    ``pairwise``: the two shares are within ``interval_s`` of each other.  ``burst`` (default)
    adds every pair inside a burst: a run of shares of one URL each within ``interval_s`` of the
    one before, with at most :data:`MAX_BURST_SHARES` shares (a longer run, a URL shared in a
    steady stream, keeps the pairwise rule so its pairs cannot explode).

    Returns ``author_a, author_b, key, t_a, t_b`` with ``author_a < author_b``.
    """
    ordered = shares.sort("key", "t")
    key = ordered.get_column("key").rank("dense").to_numpy().astype(np.int64)
    author_codes = ordered.get_column("author").rank("dense").to_numpy().astype(np.int64)
    t = ordered.get_column("t").to_numpy().astype(np.int64)
    window = int(interval_s * 1_000_000)
    n = len(t)
    left_parts: list[np.ndarray] = []
    right_parts: list[np.ndarray] = []
    rows = np.arange(n, dtype=np.int64)
    k = 1
    while True:
        rows = rows[rows + k < n]
        if rows.size == 0:
            break
        partner = rows + k
        near = (key[partner] == key[rows]) & (t[partner] - t[rows] <= window)
        rows = rows[near]
        if rows.size == 0:
            break
        partner = rows + k
        different = author_codes[rows] != author_codes[partner]
        left_parts.append(rows[different])
        right_parts.append(partner[different])
        k += 1
    if linkage == "burst" and n:
        burst = np.cumsum(np.r_[True, (key[1:] != key[:-1]) | (np.diff(t) > window)])
        sizes = np.bincount(burst)
        small = (sizes[burst] > 1) & (sizes[burst] <= MAX_BURST_SHARES)
        members = pl.DataFrame({"b": burst[small], "row": np.flatnonzero(small)})
        joined = members.join(members, on="b", suffix="_2").filter(pl.col("row") < pl.col("row_2"))
        lr, rr = joined.get_column("row").to_numpy(), joined.get_column("row_2").to_numpy()
        different = author_codes[lr] != author_codes[rr]
        left_parts.append(lr[different])
        right_parts.append(rr[different])
    if not left_parts or not sum(len(p) for p in left_parts):
        return pl.DataFrame(schema={"author_a": pl.String, "author_b": pl.String, "key": pl.String,
                                    "t_a": pl.Int64, "t_b": pl.Int64})
    stacked = np.unique(np.stack([np.concatenate(left_parts), np.concatenate(right_parts)], axis=1), axis=0)
    left, right = stacked[:, 0], stacked[:, 1]
    authors = ordered.get_column("author")
    a_first = author_codes[left] < author_codes[right]
    lo = np.where(a_first, left, right)
    hi = np.where(a_first, right, left)
    return pl.DataFrame(
        {
            "author_a": authors.gather(lo),
            "author_b": authors.gather(hi),
            "key": ordered.get_column("key").gather(left),
            "t_a": t[left],
            "t_b": t[right],
        }
    )


def detect(links: pl.DataFrame, comments: pl.DataFrame, settings: ColinkSettings) -> Colinks:
    """Co-link pairs and coordinated components of a run."""
    return detect_shares(shares_frame(links, comments), settings)


def detect_shares(shares: pl.DataFrame, settings: ColinkSettings) -> Colinks:
    """Co-link pairs and coordinated components of shares (``key, author, t`` in µs)."""
    coornet = estimate_interval(shares, settings.q, settings.p)
    burst_gap = estimate_burst_gap(shares, settings.q)
    if settings.estimator == "coornet" or burst_gap is None:
        estimated, source = coornet, "estimated (CooRnet)"
    else:
        estimated, source = burst_gap, "estimated (burst gap)"
    interval = settings.interval_s if settings.interval_s is not None else estimated
    info: dict[str, Any] = {
        "n_shares": shares.height,
        "n_urls_shared_twice": int(shares.group_by("key").len().filter(pl.col("len") > 1).height) if shares.height else 0,
        "interval_estimated_s": estimated,
        "interval_coornet_s": coornet,
        "burst_gap_s": burst_gap,
        "interval_s": interval,
        "interval_source": "option" if settings.interval_s is not None else source,
        "q": settings.q,
        "p": settings.p,
        "linkage": settings.linkage,
        "fdr": settings.fdr,
    }
    if interval is None or shares.height < 2:
        info.update(n_pairs=0, min_repeat=None, n_coordinated_pairs=0, n_components=0)
        return Colinks(schemas.empty(schemas.COLINKS), schemas.empty(schemas.COLINK_COMPONENTS), info)
    found = co_shares(shares, interval, settings.linkage)
    utc = schemas.UTC_TIME
    pairs = (
        found.group_by("author_a", "author_b")
        .agg(
            n_shared=pl.col("key").n_unique(),
            first_at=pl.min_horizontal("t_a", "t_b").min(),
            last_at=pl.max_horizontal("t_a", "t_b").max(),
            urls=pl.col("key").unique().sort(),
        )
        .with_columns(pl.col("first_at").cast(utc), pl.col("last_at").cast(utc))
        .sort("n_shared", "author_a", "author_b", descending=[True, False, False])
    )
    pairs = _chance(pairs, shares, found)
    min_repeat = int(settings.min_repeat) if settings.min_repeat is not None else DEFAULT_MIN_REPEAT
    # The family: pairs of accounts that each shared at least min_repeat distinct URLs (the
    # others can never reach min_repeat co-shares; dropping them is independent filtering,
    # Bourgon, Gentleman & Huber, PNAS 2010, and keeps the false discovery rate).
    n_able = int((shares.group_by("author").agg(pl.col("key").n_unique().alias("u"))
                  .get_column("u") >= min_repeat).sum())
    repeated = pairs.get_column("n_shared").to_numpy() >= min_repeat
    p_values = np.where(repeated, pairs.get_column("p_value").to_numpy(), 1.0)  # never called coordinated
    significant = _benjamini_hochberg(p_values, settings.fdr, n_able * (n_able - 1) // 2)
    pairs = pairs.with_columns(coordinated=pl.Series(significant & repeated, dtype=pl.Boolean))
    pairs = schemas.conform(pairs, schemas.COLINKS)
    info.update(n_pairs=pairs.height, min_repeat=min_repeat,
                n_coordinated_pairs=int(pairs.get_column("coordinated").sum()))
    components = _components(pairs.filter(pl.col("coordinated")))
    info["n_components"] = components.height
    return Colinks(pairs, components, info)


def _chance(pairs: pl.DataFrame, shares: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """``n_expected`` and ``p_value`` of each pair under a null model of independent sharing.

    Null model: every account picks the URLs it shares independently of every other account,
    in proportion to their popularity, and two shares of a URL fall within the co-share window
    as often as two shares of URLs of its popularity class do in the data (``r``: co-share
    pairs / pairs of shares, pooled over URLs with 2, 3-4, 5-8 ... shares).  Then account *a*
    (``d_a`` shares) and *b* co-share URL *u* by chance with probability about
    ``d_a·d_b·w_u``, ``w_u = (n_u/S)²·r`` (``n_u`` shares of *u*, ``S`` in all): a
    configuration model over shares, as Newman's modularity null ``k_a·k_b/2m``.  Heavy
    accounts that share many popular URLs co-share some of them within seconds by chance and
    get a large expectation; a handful of accounts that repeatedly co-share rarely shared URLs
    get a tiny one.

    A co-share of a rare URL is stronger evidence than one of a viral URL, so the test is made
    at the pair's best rarity cut: for each of its co-shared URLs, the count of its co-shares
    at most as common (``n_le``) against the expectation over all URLs at most as common
    (``d_a·d_b·Σ_{w_v ≤ w_u} w_v``), Poisson tail ``P(X ≥ n_le)``; the smallest, times the
    number of cuts tried (Bonferroni), is the pair's ``p_value``; ``n_expected`` is the
    expectation over all URLs.  Why not CooRnet's 90th percentile of edge weights: it is
    relative, so on a corpus where most pairs are coordinated it cuts coordinated pairs
    (measured: a third of the planted pairs on the One Million Posts sample), and on one with
    many busy organic accounts it keeps their chance co-shares (precision 0.02 on the
    synthetic tune corpora).
    """
    from analyzer.stages.coordination.poisson import poisson_sf

    total = shares.height
    events = found.unique(["author_a", "author_b", "key"]).group_by("key").agg(c=pl.len())
    per_url = (
        shares.group_by("key").agg(n=pl.len()).filter(pl.col("n") > 1)
        .join(events, on="key", how="left").with_columns(pl.col("c").fill_null(0))
        # Popularity class: shares per URL in powers of two (2, 3-4, 5-8, ...).
        .with_columns(cls=(pl.col("n") - 1).log(2).ceil().cast(pl.Int64))
        .with_columns(r=pl.col("c").sum().over("cls") / (pl.col("n") * (pl.col("n") - 1) / 2).sum().over("cls"))
        .with_columns(w=(pl.col("n") / total) ** 2 * pl.col("r"))
    )
    w_sorted = np.sort(per_url.get_column("w").to_numpy())
    cumulative = np.r_[0.0, np.cumsum(w_sorted)]
    degree = shares.group_by("author").agg(d=pl.len())
    # One row per pair and co-shared URL, rarest first: n_le = the pair's co-shared URLs at most
    # as common as this one; K(w) = the chance mass of all URLs at most as common.
    rows = (
        pairs.select("author_a", "author_b", "urls").explode("urls")
        .join(per_url.select("key", "w"), left_on="urls", right_on="key", how="left")
        .with_columns(pl.col("w").fill_null(0.0))
        .with_columns(n_le=pl.col("w").rank("max").over("author_a", "author_b"))
        .join(degree.rename({"author": "author_a", "d": "d_a"}), on="author_a", how="left")
        .join(degree.rename({"author": "author_b", "d": "d_b"}), on="author_b", how="left")
    )
    w = rows.get_column("w").to_numpy()
    k = cumulative[np.searchsorted(w_sorted, w, side="right")]
    expected = (rows.get_column("d_a").to_numpy().astype(np.float64)
                * rows.get_column("d_b").to_numpy().astype(np.float64) * k)
    n_le = rows.get_column("n_le").to_numpy().astype(np.float64)
    rows = rows.with_columns(
        e=pl.Series(expected, dtype=pl.Float64),
        p=pl.Series(poisson_sf(n_le - 1, np.maximum(expected, 1e-300)), dtype=pl.Float64),
    )
    best = rows.group_by("author_a", "author_b").agg(
        n_expected=pl.col("e").max(),
        # The best rarity cut, Bonferroni-corrected for the cuts tried (the pair's distinct levels).
        p_value=(pl.col("p").min() * pl.col("w").n_unique()).clip(upper_bound=1.0),
    )
    return pairs.join(best, on=["author_a", "author_b"], how="left")


def _benjamini_hochberg(p_values: np.ndarray, fdr: float, n_tests: int) -> np.ndarray:
    """Which p-values are significant at false discovery rate ``fdr`` (Benjamini & Hochberg 1995).

    The family is every pair of accounts that could be coordinated (``n_tests``), not only the
    pairs that co-shared: a pair that never co-shared is a hypothesis too (its p-value is 1), and
    leaving those out would test thousands of light accounts' chance co-shares of the same
    two viral URLs against far too small a family (measured on the synthetic tune corpora:
    a few dozen chance pairs called coordinated).
    """
    if p_values.size == 0:
        return np.zeros(0, dtype=bool)
    m = max(int(n_tests), p_values.size)
    order = np.argsort(p_values, kind="stable")
    passed = p_values[order] <= fdr * np.arange(1, p_values.size + 1) / m
    if not passed.any():
        return np.zeros(p_values.size, dtype=bool)
    cut = p_values[order][int(np.flatnonzero(passed).max())]
    significant: np.ndarray = p_values <= cut
    return significant


def _components(strong: pl.DataFrame) -> pl.DataFrame:
    if strong.height == 0:
        return schemas.empty(schemas.COLINK_COMPONENTS)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    names = pl.concat([strong.get_column("author_a"), strong.get_column("author_b")]).unique().sort()
    code = {name: i for i, name in enumerate(names.to_list())}
    a = np.fromiter((code[x] for x in strong.get_column("author_a").to_list()), dtype=np.int64)
    b = np.fromiter((code[x] for x in strong.get_column("author_b").to_list()), dtype=np.int64)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(names), len(names)))
    _, labels = connected_components(graph, directed=False)
    label_of = pl.DataFrame({"author_a": names, "label": labels.astype(np.int64)})
    edges = strong.join(label_of, on="author_a", how="left")
    accounts = pl.DataFrame({"account": names, "label": labels.astype(np.int64)})
    summary = (
        edges.group_by("label")
        .agg(
            n_pairs=pl.len(),
            first_at=pl.col("first_at").min(),
            last_at=pl.col("last_at").max(),
            urls=pl.col("urls").list.explode(keep_nulls=False, empty_as_null=False).unique().sort(),
        )
        .join(accounts.group_by("label").agg(accounts=pl.col("account").sort()), on="label")
        .with_columns(n_accounts=pl.col("accounts").list.len(), n_urls=pl.col("urls").list.len())
        .sort(["n_accounts", "n_pairs", "first_at"], descending=[True, True, False])
        .with_row_index("component_id", offset=1)
        .with_columns(pl.col("component_id").cast(pl.Int64))
    )
    return schemas.conform(summary, schemas.COLINK_COMPONENTS)
