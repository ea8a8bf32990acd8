"""File digests for manifests, caches and reports."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks; of a folder (a ConvoKit corpus), over its files.

    A folder's digest covers every file's relative path and content, in sorted order.
    """
    if path.is_dir():
        folder_digest = hashlib.sha256()
        for found in sorted(p for p in path.rglob("*") if p.is_file()):
            folder_digest.update(str(found.relative_to(path)).encode("utf-8") + b"\0")
            folder_digest.update(file_sha256(found).encode("ascii"))
        return folder_digest.hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
