"""Errors that say which file, which feature or row, and what is wrong with it.

Loading never stops at the first bad feature: problems are collected as `Problem`
values and the good part of a file still loads. A `RegionmapError` is raised only when
nothing usable is left (or when the caller asks for strictness).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, feature or row; prints as ``file: where: problem``."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.where, self.message) if p]
        return ": ".join(parts)


class RegionmapError(Exception):
    """Base of every error regionmap raises on purpose; the CLI prints it as one line."""


class DataError(RegionmapError):
    """A data file (layer, events, catalog) cannot be used; carries the file and the place."""

    def __init__(self, path: str | Path, message: str, where: str = "") -> None:
        self.path = str(path)
        self.where = where
        self.message = message
        super().__init__(str(Problem(self.path, where, message)))

    @classmethod
    def from_problems(cls, problems: list[Problem]) -> DataError:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return cls(first.path, first.message + more, first.where)


class CatalogError(DataError):
    """`catalog.toml` is missing, malformed, or names something that is not there."""


class LayerError(DataError):
    """A layer file cannot be read or has no usable feature."""


class EventError(DataError):
    """An events file cannot be read or has no usable row."""


class ViewError(RegionmapError):
    """A view spec (layers, window, filters) asks for something that does not exist."""


class ExportError(RegionmapError):
    """A snapshot could not be written; nothing was left behind."""
