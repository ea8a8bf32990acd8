"""Typed errors of the analyzer.

Hierarchy::

    AnalyzerError                 base of everything we raise on purpose
    ├── UsageError                bad command-line or API arguments (exit code 2)
    ├── InputError                an input cannot be read as asked (exit code 2)
    │   ├── UnreadableInputError  missing, unreadable, binary or undecodable file
    │   ├── FormatError           the file is readable but not of the expected shape
    │   └── MappingError          a table lacks a column we were told (or need) to use
    └── RunFolderError            a run folder is missing, incomplete or not ours

Recoverable anomalies are never raised: they become :class:`analyzer.core.records.ParseIssue`
rows in the run.  Only inputs we cannot make sense of at all raise :class:`InputError`,
whose message is one line naming the file, the line and what was expected.
"""

from __future__ import annotations

from pathlib import Path


class AnalyzerError(Exception):
    """Base class of all errors the analyzer raises on purpose."""


class UsageError(AnalyzerError):
    """The caller asked for something that cannot be done as asked."""


class InputError(AnalyzerError):
    """An input file cannot be read as requested.

    Args:
        path: the file concerned.
        expected: what the reader expected to find, phrased for a user.
        line: 1-based line number where the problem was seen, when known.
        found: a short description of what was there instead.
    """

    def __init__(
        self,
        path: str | Path,
        expected: str,
        *,
        line: int | None = None,
        found: str | None = None,
    ) -> None:
        self.path = str(path)
        self.expected = expected
        self.line = line
        self.found = found
        super().__init__(self.one_line())

    def reason(self) -> str:
        """What was expected and found, without the location."""
        message = f"expected {self.expected}"
        if self.found:
            message += f", found {self.found}"
        return message

    def one_line(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason()}"


class UnreadableInputError(InputError):
    """The file is missing, unreadable, binary or cannot be decoded at all."""


class FormatError(InputError):
    """The file is readable but does not have the shape of the expected format."""


class MappingError(InputError):
    """A table lacks a column the reader needs or was told to use."""


class RunFolderError(AnalyzerError):
    """A run folder is missing, incomplete (interrupted write) or not an analyzer run."""
