"""The relay chain, quotation by quotation: the words at each link, and the link where they changed.

The quotation audit holds, for each stretch of the article inside quotation marks, its words at
each link of the chain that passed the text on (:data:`WORD_COLUMNS`, in the chain's order): the
Korean original, KCNA's English, the words a wire story put inside quotation marks, the words
inside the quotation marks of an earlier copy of the same text, and the words as the article
prints them. The rule for *where the words changed*:

1. The Korean is a translation's source, not compared word by word: a translation changes every
   word (how well KCNA translated is the audit's judgement, in its explanation).
2. Each English link is compared, word by word, with the English links before it whose words are
   known, with the rule of "Spot the changed words" (:mod:`.wordmarks`: case, end punctuation and
   the dots of an abbreviation aside, so "U.S." and "US" are one word): a word with a counterpart
   in none of them is *new at this link*. (Not just the link before: a quotation may take in a
   word of KCNA's that the wire left outside its quotation marks, as "more" in "more practical
   and offensive"; that word is KCNA's, not new.) The first known English link is compared with
   nothing; a change is reported against the last known link before it.
3. A link with no words is either *not known* (the audit has nothing there: no source found, or
   the stored copy lacks the passage), or, for a wire that paraphrased the passage, *unquoted*:
   the wire's wording is shown, but it put no words in quotation marks, so nothing at that link
   can be compared. Neither is ever filled in with a guess.
4. When links between a change and the link it is compared with are not known, the change may
   have happened at any of them: :attr:`Step.unknown_before` names them.

Words merely left out leave nothing to mark (as in the lab).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .wordmarks import changed_flags, words

__all__ = ["COMPARED", "UNQUOTED", "WORD_COLUMNS", "Step", "relay_steps"]

#: The audit's columns holding one quotation's words, in the order of the relay chain.
WORD_COLUMNS = ("korean_original", "kcna_english", "wire_quoted", "earlier_copy_wording", "span")
#: The links compared word by word (rule 1: not the Korean).
COMPARED = ("kcna_english", "wire_quoted", "earlier_copy_wording", "span")
#: A link whose source may hold the passage without quotation marks: the column with that wording.
UNQUOTED = {"wire_quoted": "wire_wording"}


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Step:
    """One quotation at one link of the chain."""

    column: str
    #: The words at this link (inside quotation marks, except the Korean and KCNA's English, which
    #: are the source's own text); None if there are none.
    words: str | None
    #: The source's wording when it paraphrased the passage without quotation marks (rule 3).
    unquoted: str | None = None
    #: One flag per word of :attr:`words` (``wordmarks.words``): new at this link (rule 2).
    new: tuple[bool, ...] = ()
    #: The link these words were compared with; None for the Korean and the first known link.
    compared_with: str | None = None
    #: The links between :attr:`compared_with` and this one that are not known (rule 4).
    unknown_before: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.words is not None or self.unquoted is not None

    @property
    def changed(self) -> bool:
        return any(self.new)

    def pieces(self) -> list[tuple[str, bool]]:
        """:attr:`words` cut into (text, new) pieces, in order: the new words, and the text between."""
        if self.words is None:
            return []
        out: list[tuple[str, bool]] = []
        pos = 0
        for (start, end, _), flag in zip(words(self.words), self.new or (False,) * len(words(self.words))):
            if flag:
                if start > pos:
                    out.append((self.words[pos:start], False))
                out.append((self.words[start:end], True))
                pos = end
        if pos < len(self.words):
            out.append((self.words[pos:], False))
        return out


def relay_steps(row: pd.Series | dict) -> list[Step]:
    """One audit row (``quotation_audit``) as its :class:`Step` at each of :data:`WORD_COLUMNS`."""
    get = row.get
    steps: list[Step] = []
    last: Step | None = None
    known: list[str] = []  # the words of every known English link so far
    unknown: list[str] = []
    for column in WORD_COLUMNS:
        text = _text(get(column))
        unquoted = _text(get(UNQUOTED[column])) if column in UNQUOTED and text is None else None
        if column not in COMPARED or text is None:
            steps.append(Step(column, text, unquoted))
            if column in COMPARED and unquoted is None:
                unknown.append(column)
            continue
        if last is None:
            step = Step(column, text, new=(False,) * len(words(text)))
        else:
            flags = [True] * len(words(text))
            for earlier in known:  # new only if no earlier link has a counterpart
                flags = [f and g for f, g in zip(flags, changed_flags(text, earlier))]
            step = Step(column, text, new=tuple(flags), compared_with=last.column, unknown_before=tuple(unknown))
        steps.append(step)
        known.append(text)
        last, unknown = step, []
    return steps
