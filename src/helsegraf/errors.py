"""Errors that carry the file and line of bad input, so the CLI can say exactly what is wrong."""

from __future__ import annotations

from pathlib import Path


class HelsegrafError(Exception):
    """A failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1


class InputError(HelsegrafError):
    """Bad input in a source, mapping or query file: names the file, the line and what was expected."""

    exit_code = 65  # EX_DATAERR

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # so that an error raised in a worker process arrives whole
        return (type(self), (self.path, self.message, self.line))


class ValidationError(HelsegrafError):
    """The built graph breaks the SHACL shapes."""

    exit_code = 66


class UsageError(HelsegrafError):
    exit_code = 64  # EX_USAGE
