from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from analyzer.core.errors import UnreadableInputError
from analyzer.ingest.source import decode, load_text

TEXT = "Grüße aus Köln – „Zitat“\nzweite Zeile\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-bom"),
        (TEXT.encode("utf-16"), "utf-16-le-bom"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    text, found, issues = decode(data, "x")
    assert (text, found, issues) == (TEXT, encoding, [])


def test_windows_1252_is_detected_and_reported() -> None:
    text, encoding, issues = decode("Grüße „Zitat“".encode("cp1252"), "x")
    assert text == "Grüße „Zitat“"
    assert encoding == "cp1252"
    assert [i.code for i in issues] == ["legacy-encoding"]


def test_invalid_utf8_is_replaced_and_flagged_with_its_line() -> None:
    data = "erste Zeile ü\nzweite".encode() + b"\xff\xfe kaputt"
    text, encoding, issues = decode(data, "x")
    assert "\ufffd" in text and encoding == "utf-8-replaced"
    assert [(i.code, i.line) for i in issues] == [("invalid-utf8", 2)]


def test_binary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UnreadableInputError, match="expected a text file, found binary data"):
        load_text(path)


def test_a_few_stray_nul_bytes_are_removed_with_a_warning(tmp_path: Path) -> None:
    """A text browser's dump with NULs copied from the page's markup is text, not binary: the
    NULs go, with one warning naming the count and the first line."""
    body = ("Kommentar von Anna\nDas sehe ich anders.\n" * 200).encode()
    data = body[:100] + b"\x00" + body[100:3000] + b"\x00\x00" + body[3000:]
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    loaded = load_text(path)
    assert loaded.text == body.decode()
    assert [(i.code, i.severity, i.line) for i in loaded.issues] == [("nul-bytes", "warning", 6)]  # five newlines before byte 100
    assert "3 NUL bytes removed" in loaded.issues[0].detail


def test_many_nul_bytes_or_binary_around_them_are_still_refused(tmp_path: Path) -> None:
    dense = tmp_path / "dense.txt"
    dense.write_bytes(b"text\x00" * 500)  # one NUL in five bytes: binary
    with pytest.raises(UnreadableInputError, match="found binary data"):
        load_text(dense)
    packed = tmp_path / "packed.bin"
    packed.write_bytes(bytes(range(1, 256)) * 40 + b"\x00")  # one NUL, but not text without it
    with pytest.raises(UnreadableInputError, match="found binary data"):
        load_text(packed)


def test_nul_bytes_in_a_latin1_dump_are_removed_and_the_rest_decoded(tmp_path: Path) -> None:
    """links2 dumped a Latin-1 forum page with one NUL in about 300 bytes: still text."""
    body = ("Beitrag von Jörg\nDas Gerät läuft wieder, danke für den Tipp.\n" * 100).encode("latin-1")
    data = b"".join(body[i:i + 300] + b"\x00" for i in range(0, len(body), 300))
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    loaded = load_text(path)
    assert loaded.text == body.decode("latin-1")
    assert [i.code for i in loaded.issues] == ["nul-bytes", "legacy-encoding"]


def test_random_bytes_with_nuls_at_their_natural_rate_are_binary(tmp_path: Path) -> None:
    import random

    rng = random.Random(5)
    noise = bytes(rng.randrange(256) for _ in range(20_000))  # about one NUL in 256 bytes
    path = tmp_path / "noise.txt"
    path.write_bytes(noise)
    with pytest.raises(UnreadableInputError, match="found binary data"):
        load_text(path)


def test_crlf_and_cr_become_lf(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"a\r\nb\rc\n")
    assert load_text(path).text == "a\nb\nc\n"


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 100, encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="at most 10 bytes"):
        load_text(path, max_bytes=10)
