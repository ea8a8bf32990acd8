"""A page's declared charset decides the decoding of bytes that are not valid UTF-8 (issue 12,
HTML round 4).  Every byte string here is written for the test."""

from __future__ import annotations

from analyzer.ingest.source import decode


def test_declared_latin1_wins_over_the_mixed_bytes_guess() -> None:
    # One genuine UTF-8 sequence ("é") would make the old guess keep UTF-8 and replace "ü".
    data = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><p>Gr\u00fc\u00dfe</p>"
    ).encode("latin-1") + "<p>caf\u00e9</p></body></html>".encode("utf-8")
    text, encoding, issues = decode(data, "p.html")
    assert encoding == "cp1252"
    assert "Grüße" in text
    assert [i.code for i in issues] == ["legacy-encoding"]
    assert "declares" in issues[0].detail


def test_declared_utf8_keeps_replacement_and_warning() -> None:
    data = b'<html><head><meta charset="utf-8"></head><body><p>caf\xc3\xa9 und Gr\xfc\xdfe</p></body></html>'
    text, encoding, issues = decode(data, "p.html")
    assert encoding == "utf-8-replaced" and "café" in text and "\ufffd" in text
    assert [i.code for i in issues] == ["invalid-utf8"]


def test_xml_declaration_and_unknown_labels() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-15"?><html><body>\u20ac 5</body></html>'.encode("iso8859-15")
    text, encoding, _ = decode(data, "p.xhtml")
    assert encoding == "iso8859-15" and "€ 5" in text
    unknown = b'<meta charset="no-such-charset"><p>Gr\xfc\xdfe</p>'
    _, encoding, issues = decode(unknown, "p.html")
    assert encoding == "cp1252" and [i.code for i in issues] == ["legacy-encoding"]  # the old guess


def test_valid_utf8_is_never_redecoded() -> None:
    data = '<meta charset="iso-8859-1"><p>Grüße</p>'.encode()
    text, encoding, issues = decode(data, "p.html")
    assert encoding == "utf-8" and "Grüße" in text and issues == []
