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


def test_crlf_and_cr_become_lf(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"a\r\nb\rc\n")
    assert load_text(path).text == "a\nb\nc\n"


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 100, encoding="utf-8")
    with pytest.raises(UnreadableInputError, match="at most 10 bytes"):
        load_text(path, max_bytes=10)
