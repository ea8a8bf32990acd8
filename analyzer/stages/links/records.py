"""Records of the link stage: one link, one text's extraction, one host's parts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in a text; fields as in :data:`analyzer.core.schemas.LINKS`."""

    url: str
    url_normalised: str
    host: str
    registered_domain: str | None
    suffix: str | None
    platform_path: str | None
    obfuscation: str | None
    in_quote: bool
    start_char: int
    end_char: int
    redirect: str | None = None  # the redirect wrapper unwrapped ("l.facebook.com/l.php"), else None


@dataclass(slots=True)
class Extraction:
    """Links of one text and the candidates that could not become links.

    A *candidate* is a scheme form (``https://``, ``hxxp://``, ``_____://`` ...) anywhere it
    is not part of an earlier link, or a scheme-less ``host.tld`` that the host rules accept
    as a link.  ``n_found`` counts candidates as the scanner classifies them; every one ends
    up either in ``links`` or in ``rejected`` (the accounting checks
    ``n_found == len(links) + len(rejected)``).  Words that merely look like hosts ("z.B.",
    "bild.jpg") are not candidates.

    Attributes:
        links: the links, in order.
        rejected: ``(start_char, reason)`` of candidates that could not be made into a link.
        notes: ``(start_char, reason)`` about the text itself (the part left unscanned).
        n_found: candidates found.
    """

    links: list[Link]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    n_found: int = 0

    @property
    def skipped(self) -> list[tuple[int, str]]:
        """Everything not turned into a link: notes on the text, then rejected candidates."""
        return [*self.notes, *self.rejected]


@dataclass(frozen=True, slots=True)
class HostInfo:
    """Public-suffix split of a normalised host."""

    registered_domain: str | None
    suffix: str | None
    domain_label: str | None
