"""The words of the core route and the deeper one: the "Going further" label, and reading times.

A chapter page has a core (what a 50-minute lesson needs) and, folded, what is for going further
(:mod:`reading_deterrence.sphinxext.route` draws the folds and counts the words). This module only
turns counts into the sentence shown under a page's title, so that the wording and the rounding
are tested without Sphinx.

The rate is 150 words a minute. Adults read English non-fiction silently at 238 words a minute
on average, most of them between 175 and 300, and younger readers and readers of a second language
more slowly (Brysbaert 2019, a meta-analysis of 190 studies; ``brysbaert2019reading`` in
``references.bib``). A 16-year-old reading to learn, meeting new terms and checking sentence IDs
against the article, reads below that range: 150 is a deliberately careful rate for that reader.
A fast reader will take less time; nobody should be told that a page takes less than it does.

A self-check question takes more than its words: a student stops to think, chooses, and reads the
feedback, and tries again when wrong. The routes count a minute for each question outside a fold
(:data:`CHECK_MINUTES`), beside the reading of its words, and twice that for a question with
several right answers (each option must be weighed); a question in a fold, or inside a timed
activity, adds nothing. That minute is our estimate, not a measured
rate: read-throughs as a 16-year-old took more than the pages said, and the uncounted self-checks
were a large part of the difference. A question inside a timed activity
("Activity 1: classify the statements (10 minutes)") is part of that activity's time instead.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHECK_MINUTES", "KICKER", "RATE", "Times", "minutes", "reading_time_text", "route_total_text", "times_text"]

#: The words before every fold's title: "Going further: The stability–instability paradox".
KICKER = "Going further:"
#: Words a minute: a 16-year-old reading to learn (see the module's docstring).
RATE = 150
#: Minutes a self-check question takes beyond reading it: to think, choose and read the feedback.
CHECK_MINUTES = 1


@dataclass(frozen=True)
class Times:
    """What a page asks of a reader: words on the core route, words folded for going further,
    the minutes its activities state in their headings, whether the whole page is for going
    further (``route: further`` in its front matter), its self-check questions on the core route
    outside timed activities, how many of those have several right answers, and whether a section
    of it is done in class (not counted)."""

    core_words: int
    further_words: int = 0
    activity_minutes: int = 0
    further_page: bool = False
    checks: int = 0
    several: int = 0
    in_class: bool = False

    def check_minutes(self) -> int:
        return 0 if self.further_page else (self.checks + self.several) * CHECK_MINUTES

    def core_minutes(self, rate: int = RATE) -> int:
        return 0 if self.further_page else minutes(self.core_words, rate)

    def further_minutes(self, rate: int = RATE) -> int:
        words = self.further_words + (self.core_words if self.further_page else 0)
        return minutes(words, rate) if words else 0


def minutes(words: int, rate: int = RATE) -> int:
    """Whole minutes to read ``words`` at ``rate`` words a minute: rounded, and at least one for any
    text at all (a page of 60 words is "about 1 minute", not "about 0")."""
    if words <= 0:
        return 0
    return max(1, round(words / rate))


def _minutes(n: int) -> str:
    return f"{n} minute" if n == 1 else f"{n} minutes"


def times_text(times: Times, rate: int = RATE) -> str:
    """A page's times in a phrase, for a line of ``{route-summary}``.

    >>> times_text(Times(1800, 1200, 40))
    'about 12 minutes (core), 8 more going further; activities: 40 minutes'
    >>> times_text(Times(750, further_page=True))
    'going further, about 5 minutes'
    >>> times_text(Times(600, 0, 5, checks=2))
    'about 4 minutes; activities: 5 minutes; self-checks: 2 minutes'
    """
    if times.further_page:
        text = f"going further, about {_minutes(times.further_minutes(rate))}"
    else:
        text = f"about {_minutes(times.core_minutes(rate))}"
        further = times.further_minutes(rate)
        text += f" (core), {further} more going further" if further else ""
    if times.activity_minutes:
        text += f"; activities: {_minutes(times.activity_minutes)}"
    if times.check_minutes():
        text += f"; self-checks: {_minutes(times.check_minutes())}"
    return text


def reading_time_text(times: Times, rate: int = RATE) -> str:
    """The sentence under a page's title.

    >>> reading_time_text(Times(1800, 1200, 40))
    'Reading time: about 12 minutes (core), 8 more going further. Activities on this page: 40 minutes.'
    >>> reading_time_text(Times(1800))
    'Reading time: about 12 minutes.'
    >>> reading_time_text(Times(750, further_page=True))
    'Going further: this whole page is beyond the core route. Reading time: about 5 minutes.'
    >>> reading_time_text(Times(600, checks=3))
    'Reading time: about 4 minutes. Self-checks: 3 questions, about 3 minutes.'
    >>> reading_time_text(Times(600, checks=3, several=1))[31:]
    'Self-checks: 3 questions, about 4 minutes.'
    >>> reading_time_text(Times(600, in_class=True))
    'Reading time: about 4 minutes. The part done in class is not counted.'
    """
    if times.further_page:
        text = "Going further: this whole page is beyond the core route. "
        text += f"Reading time: about {_minutes(times.further_minutes(rate))}."
    else:
        text = f"Reading time: about {_minutes(times.core_minutes(rate))}"
        further = times.further_minutes(rate)
        text += f" (core), {further} more going further." if further else "."
    if times.activity_minutes:
        text += f" Activities on this page: {_minutes(times.activity_minutes)}."
    if times.check_minutes():
        questions = "1 question" if times.checks == 1 else f"{times.checks} questions"
        text += f" Self-checks: {questions}, about {_minutes(times.check_minutes())}."
    if times.in_class and not times.further_page:
        text += " The part done in class is not counted."
    return text


def route_total_text(pages: list[Times], rate: int = RATE) -> str:
    """The chapter's total, for ``{route-summary}``: core reading, the activities' stated time
    (their headings state the time for a student working alone; the text gives the class time
    apart), the self-checks, then going further.

    >>> route_total_text([Times(1500, 300, 40), Times(750, 0, 0), Times(600, further_page=True)])[71:107]
    'Core route in all: about 55 minutes.'
    >>> text = route_total_text([Times(1500, 0, 10, checks=3)])
    >>> text.startswith("Core route: about 10 minutes of reading, 10 minutes of activities and 3 minutes")
    True
    >>> text.endswith("of self-checks. Core route in all: about 23 minutes.")
    True
    """
    core = sum(minutes(p.core_words, rate) for p in pages if not p.further_page)
    activities = sum(p.activity_minutes for p in pages if not p.further_page)
    checks = sum(p.check_minutes() for p in pages)
    further = sum(p.further_minutes(rate) for p in pages)
    text = f"Core route: about {_minutes(core)} of reading"
    if activities and checks:
        text += f", {_minutes(activities)} of activities and {_minutes(checks)} of self-checks."
    elif activities or checks:
        text += f", and {_minutes(activities or checks)} of {'activities' if activities else 'self-checks'}."
    else:
        text += "."
    if activities or checks:  # the figure a student doing the chapter as homework needs
        text += f" Core route in all: about {_minutes(core + activities + checks)}."
    if further:
        text += f" Going further: about {further} more {'minute' if further == 1 else 'minutes'} of reading."
    return text
