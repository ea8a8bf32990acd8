"""Link sharing: extract, refang and normalise links; link metrics (methods.md section 5).

Pipeline of one text (a visible comment's ``text`` or an article's ``body``):

1. **Find candidates** with one bounded regular expression built from the packaged rules
   (:mod:`analyzer.domains.rules`): a scheme form (``https://``, ``hxxp://``, ``h**ps://``,
   ``_____://``, with ``://``, ``[:]//`` ...) or the start of a scheme-less ``host.tld``
   (dots written plainly or as ``[.]``, ``(.)``, ``(dot)`` ...).
2. **Parse the host** (labels of at most 63 characters, at most 30 of them), an optional port
   and the path up to white space or a quotation mark; trailing punctuation and unbalanced
   closing brackets are cut (balanced parentheses, as in Wikipedia URLs, stay).
3. **Accept or reject**: links with a scheme are kept when their host has a dot; scheme-less
   ones need a real public suffix (tldextract's bundled snapshot) and, without a path, must
   pass the false-positive rules ("z.B.", "bild.jpg", "readme.md", "Dr.med", e-mail addresses,
   version numbers, sentences glued together as in "Ende.Jetzt").
4. **Normalise**: refang, add the scheme (``https`` when it cannot be read), lowercase the host,
   strip ``www.``, registered domain and suffix from the Public Suffix List (ICANN section of
   tldextract's bundled snapshot; a host that is itself a public suffix, such as ``gov.kz``,
   is its own registered domain), drop tracking parameters (``utm_*``, ``fbclid`` ...), map
   aliases to one source (``youtu.be`` = ``youtube.com``, ``twitter.com`` = ``x.com``), and
   the platform path that names a source (``t.me/<channel>``, ``youtube.com/@name`` ...).
5. **Unwrap redirect wrappers** (``l.facebook.com/l.php?u=``, ``google.<cc>/url?q=`` ...):
   the target in the query becomes the link (normalised, rated), the wrapper stays in
   ``redirect``.  Shorteners (``t.co``, ``bit.ly``) cannot be unwrapped offline.

Spaced forms ("h t t p s : / / www . site . de", "site . de", "site dot de") are read when the
host's first dot is spaced; scheme-less ones need a suffix from ``spaced_suffixes``.  E-mail
addresses ("name@site.org", "name(at)site.org") are not links.  All tables are data in
``analyzer/domains/link_rules.toml``; docs/links.md has the forms and the false-positive
measurement.

Every obfuscated link records the rule(s) that recovered it (``obfuscation``, e.g.
``"underscore-scheme"`` or ``"hxxp+dot-bracket"``).  Links inside quoted material (lines
starting with ">", or the lines after "Zitat:" / "Quote:" up to a blank line) are marked
``in_quote``; offsets index the original text.  :mod:`analyzer.stages.framing.quotes` did not exist
when this was written, so the quote-block rule is the small local one in :func:`quote_spans`.

Scopes of the metrics this module adds to the long METRICS frame:

* ``thread`` (subject_id = article id): shares, counts and concentration over the links of
  the visible comments of one thread (the article's own links are counted apart);
* ``comment`` (subject_id = comment id): links per visible comment;
* ``domain`` (subject_id = registered domain, else the host): per-domain counts;
* ``cctld`` (subject_id = country code such as "ru", or "generic"): the country-code mix;
* ``list`` (subject_id = credibility list name): rating coverage and mean rating.

The package: :mod:`.patterns` (bounds, regular expressions), :mod:`.records`,
:mod:`.extraction` (finding, refanging, accepting links; redirect unwrapping), :mod:`.hosts`
(normalisation), :mod:`.frames` (texts to ``links.parquet``), :mod:`.metrics`, :mod:`.stage`.
"""

from __future__ import annotations

from analyzer.stages.links.extraction import (
    extract_links,
    quote_spans,
    refang_scheme,
    unwrap_redirect,
)
from analyzer.stages.links.frames import LinkTally, link_candidates, links_frame, visible_comments
from analyzer.stages.links.hosts import cctld, platform_path, split_host, strip_tracking
from analyzer.stages.links.metrics import (
    METRICS,
    compute_link_metrics,
    describe,
    entropy_bits,
    hhi,
    site_domain,
)
from analyzer.stages.links.patterns import MAX_TEXT_CHARS, MAX_URL_CHARS
from analyzer.stages.links.records import Extraction, HostInfo, Link
from analyzer.stages.links.stage import run_stage

__all__ = [
    "Extraction",
    "HostInfo",
    "Link",
    "LinkTally",
    "MAX_TEXT_CHARS",
    "MAX_URL_CHARS",
    "METRICS",
    "cctld",
    "compute_link_metrics",
    "describe",
    "entropy_bits",
    "extract_links",
    "hhi",
    "link_candidates",
    "links_frame",
    "platform_path",
    "quote_spans",
    "refang_scheme",
    "run_stage",
    "site_domain",
    "split_host",
    "strip_tracking",
    "unwrap_redirect",
    "visible_comments",
]
