"""The :class:`View`: a block of MyST text made from the data, and the files it was made from; and
:class:`HeldBack`: what an edition holds back from the views."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["HELD_BACK", "HeldBack", "View"]

#: What a held-back cell of a table says.
HELD_BACK = "held back"


@dataclass
class View:
    """The MyST text of a generated block, the data files it depends on, and its section labels.

    ``labels`` maps a section title in ``text`` to the label that section should carry.
    """

    text: str
    files: list[Path] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HeldBack:
    """Rows a view leaves out of an edition, by ID, and the note that says why where they were.

    The views that can hold back (the claim ledger, the coding table, the codebook, the annotated article) take
    one as their ``held_back`` argument. Which IDs, and the wording of the notes, are the
    chapters' choice (:data:`reading_deterrence.facts.STUDENT_HELD_BACK`); which edition holds
    them back is the Sphinx layer's (:mod:`reading_deterrence.sphinxext.edition`).
    """

    #: Claim IDs whose verdict and evidence are held back (the claim's own words stay).
    claims: frozenset[str] = frozenset()
    claims_note: str = ""
    #: Sentence IDs whose codes are held back (and who asserts the claims they make).
    sentences: frozenset[str] = frozenset()
    sentences_note: str = ""

    def __bool__(self) -> bool:
        return bool(self.claims or self.sentences)
