"""The :class:`View`: a block of MyST text made from the data, and the files it was made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["View"]


@dataclass
class View:
    """The MyST text of a generated block, the data files it depends on, and its section labels.

    ``labels`` maps a section title in ``text`` to the label that section should carry.
    """

    text: str
    files: list[Path] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
