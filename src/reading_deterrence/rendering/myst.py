"""A MyST page made plain for Jupyter: the page's text with its Sphinx markup resolved.

A lab page is a MyST notebook (jupytext's ``md:myst`` format) whose prose uses the book's
directives and roles. Jupyter shows Markdown only, so before the page becomes a notebook
(:mod:`.notebook`) each directive and role becomes plain Markdown, and what one edition must not
hold is left out:

- exercises become numbered paragraphs; in the student edition each is followed by an empty code
  cell for the answer;
- solutions (``{solution}``, and gated ``{solution-start}`` ... ``{solution-end}`` with the code
  cells between them) are kept in the teacher edition, under "Solution to exercise N", their
  cells tagged ``solution``, and left out of the student edition, code cells included;
- ``{only} teacher_edition`` / ``student_edition`` follow the edition;
- admonitions become block quotes with their title; ``{glue:figure}`` keeps its caption (the
  figure is the output of the cell above it); a ``{glue}`` block pastes what the book pastes
  (the resolver of the role ``glue`` gives its Markdown or HTML);
- link targets ``(label)=`` and comments are dropped; an in-page lab (``{coding-lab}`` and the
  like, :data:`PAGE_LABS`) becomes a line saying that the book's page has it;
- each role is turned into Markdown by a resolver the caller passes (the Sphinx layer knows what
  ``{ref}``, ``{glue:text}`` or ``{cite:p}`` point to; this module does not).

Code cells pass through unchanged, and so do plain code blocks. A directive or role this module
does not know is an :class:`ExportError` naming its line: a new kind of markup must be taught to
the export, never leak into a notebook as raw MyST.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["ExportError", "RoleResolver", "myst_to_markdown", "split_title"]

#: A role's resolver: (target, explicit title or None) -> Markdown.
RoleResolver = Callable[[str, "str | None"], str]

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:.+-]+)\}`(?P<content>[^`]*)`")
TARGET = re.compile(r"^\s*\([\w.:-]+\)=\s*$")
#: What would make a line a list item, heading or quotation if a role's text began it.
BLOCK_START = re.compile(r"^(\s*)(\d+[.)]|[-+*>]|#{1,6})(?=\s|$)")
EXPLICIT = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
ADMONITIONS = {
    "admonition": None,
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "seealso": "See also",
}
EDITION_TAGS = {"teacher_edition": "teacher", "student_edition": "student"}
#: Labs that run in the book's page (issue 13): a notebook cannot hold them, so it says where they are.
PAGE_LABS = {"coding-lab", "counting-lab", "words-lab"}
SOLUTION_MARK = '+++ {"tags": ["solution"]}'
ANSWER_CELL = ["```{code-cell} ipython3", "# Your answer here", "```"]


class ExportError(ValueError):
    """Markup the export cannot turn into a notebook; the message names the line."""


class Line(NamedTuple):
    """A line of text outside any fenced block, with its number in the page."""

    number: int
    text: str


@dataclass
class Directive:
    """A fenced block: a directive (``name`` set) or a plain code block (``name`` empty).

    ``line`` is the number of its opening fence; ``body_line`` that of its body's first line.
    """

    name: str
    argument: str
    options: dict[str, str]
    body: list[str]
    raw: list[str]
    line: int
    body_line: int


Block = Line | Directive


@dataclass
class Context:
    edition: str
    roles: Mapping[str, RoleResolver]
    exercises: int = 0
    labels: dict[str, int] = field(default_factory=dict)


def split_title(content: str) -> tuple[str, str | None]:
    """``text <target>`` -> (target, text); a bare ``target`` -> (target, None)."""
    match = EXPLICIT.match(content.strip())
    if match and match.group("title"):
        return match.group("target").strip(), match.group("title")
    return content.strip(), None


def _closing(lines: list[str], start: int, fence: str, number: int) -> int:
    char, size = fence[0], len(fence)
    closer = re.compile(rf"^\s*{re.escape(char)}{{{size},}}\s*$")
    for index in range(start, len(lines)):
        if closer.match(lines[index]):
            return index
    raise ExportError(f"line {number}: the block opened with {fence!r} is never closed")


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines, or a ``---`` block of ``key: value``) and
    the rest of its body."""
    options: dict[str, str] = {}
    index = 0
    if body and body[0].strip() == "---" and "---" in (line.strip() for line in body[1:]):
        end = next(i for i in range(1, len(body)) if body[i].strip() == "---")
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        index = end + 1
    while index < len(body) and OPTION.match(body[index]):
        match = OPTION.match(body[index])
        options[match.group("key")] = match.group("value").strip()
        index += 1
    while index < len(body) and not body[index].strip():
        index += 1
    return options, body[index:]


def parse(lines: list[str], offset: int = 0) -> list[Block]:
    """Lines of MyST -> text lines and fenced blocks (their bodies not parsed yet)."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = FENCE.match(line)
        directive = DIRECTIVE.match(match.group("info").strip()) if match else None
        if match and (directive or match.group("fence")[0] != ":"):
            end = _closing(lines, index + 1, match.group("fence"), offset + index + 1)
            name, argument = (directive.group("name"), directive.group("argument").strip()) if directive else ("", "")
            options, body = _options(lines[index + 1 : end]) if directive else ({}, lines[index + 1 : end])
            first = offset + end - len(body) + 1
            blocks.append(Directive(name, argument, options, body, lines[index : end + 1], offset + index + 1, first))
            index = end + 1
        else:
            blocks.append(Line(offset + index + 1, line))
            index += 1
    return blocks


def _resolver(name: str, number: int, context: Context) -> RoleResolver:
    if name not in context.roles:
        raise ExportError(f"line {number}: no export for the role {{{name}}} (known: {', '.join(context.roles)})")
    return context.roles[name]


def _roles(line: str, number: int, context: Context) -> str:
    def resolve(match: re.Match) -> str:
        target, title = split_title(match.group("content"))
        return _resolver(match.group("name"), number, context)(target, title)

    out = ROLE.sub(resolve, line)
    if ROLE.match(line.lstrip()):  # a line that now starts "1. " would be a list item
        out = BLOCK_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", out, count=1)
    return out


def _text(line: Line, context: Context) -> list[str]:
    if TARGET.match(line.text) or line.text.lstrip().startswith("%"):
        return []
    return [_roles(line.text, line.number, context)]


def _code_cell(block: Directive, extra_tags: list[str]) -> list[str]:
    options = dict(block.options)
    tags = [t.strip() for t in options.pop("tags", "").strip("[]").split(",") if t.strip()] + extra_tags
    head = [block.raw[0]] + [f":{key}: {value}" for key, value in options.items()]
    if tags:
        head.append(f":tags: [{', '.join(tags)}]")
    return [*head, "", *block.body, block.raw[-1]]


def _quoted(title: str, body: list[str]) -> list[str]:
    return [f"> **{title}**", ">", *(f"> {line}".rstrip() for line in body)]


def convert(blocks: list[Block], context: Context, solution: bool = False) -> list[str]:
    """Blocks -> lines of the notebook's MyST text (see the module docstring); ``solution``:
    inside a solution (its code cells are tagged ``solution``)."""
    out: list[str] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if isinstance(block, Line):
            out += _text(block, context)
        elif not block.name:
            out += block.raw
        elif block.name == "code-cell":
            out += ["", *_code_cell(block, ["solution"]), "", SOLUTION_MARK] if solution else _code_cell(block, [])
        elif block.name == "solution-start":
            end = _gate_end(blocks, index, block)
            out += _solution(block, blocks[index:end], context)
            index = end + 1
        else:
            out += _directive(block, context, solution)
    return out


def _directive(block: Directive, context: Context, solution: bool) -> list[str]:
    name, body = block.name, parse(block.body, block.body_line - 1)
    if name in ADMONITIONS:
        inner = _no_cells(convert(body, context), block)
        return _quoted(ADMONITIONS[name] or _roles(block.argument, block.line, context), inner)
    if name == "exercise":
        context.exercises += 1
        context.labels[block.options.get("label", "")] = context.exercises
        title = f" ({_roles(block.argument, block.line, context)})" if block.argument else ""
        out = [f"**Exercise {context.exercises}{title}.**", "", *convert(body, context)]
        return out + (["", *ANSWER_CELL, "", "+++"] if context.edition == "student" else [])
    if name == "solution":
        return _solution(block, body, context)
    if name == "only":
        if block.argument not in EDITION_TAGS:
            raise ExportError(f"line {block.line}: {{only}} {block.argument!r}: only {list(EDITION_TAGS)} export")
        return convert(body, context, solution) if EDITION_TAGS[block.argument] == context.edition else []
    if name == "glue:figure":
        return _no_cells(convert(body, context), block)
    if name in PAGE_LABS:
        return ["", "> **In the book:** this page has a lab that runs in your browser; open the page there.", ""]
    if name in ("glue", "glue:any"):
        return ["", *_resolver("glue", block.line, context)(block.argument, None).splitlines(), ""]
    raise ExportError(f"line {block.line}: no export for the directive {{{name}}}")


def _gate_end(blocks: list[Block], start: int, opening: Directive) -> int:
    for index in range(start, len(blocks)):
        block = blocks[index]
        if isinstance(block, Directive) and block.name == "solution-end":
            return index
    raise ExportError(f"line {opening.line}: {{solution-start}} without {{solution-end}}")


def _solution(block: Directive, body: list[Block], context: Context) -> list[str]:
    if context.edition == "student":
        return []
    number = context.labels.get(block.argument.strip())
    if number is None:
        raise ExportError(f"line {block.line}: a solution to {block.argument!r}, which no exercise above is")
    inner = convert(body, context, solution=True)
    return ["", SOLUTION_MARK, "", f"**Solution to exercise {number}.**", "", *inner, "", "+++", ""]


def _no_cells(lines: list[str], block: Directive) -> list[str]:
    if any(line.startswith("```{code-cell}") for line in lines):
        raise ExportError(f"line {block.line}: a code cell inside {{{block.name}}} cannot be exported")
    return lines


def _front_matter(lines: list[str]) -> int:
    """How many lines the YAML front matter takes (0 if there is none)."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return index + 1
    return 0


def myst_to_markdown(text: str, edition: str, roles: Mapping[str, RoleResolver]) -> str:
    """The MyST notebook ``text`` with its prose made plain for ``edition`` (see the module docstring).

    The result is still a MyST notebook (front matter and code cells unchanged), for jupytext.
    """
    if edition not in ("teacher", "student"):
        raise ExportError(f"no edition {edition!r}")
    lines = text.splitlines()
    head = _front_matter(lines)
    body = convert(parse(lines[head:], head), Context(edition, roles))
    return "\n".join([*lines[:head], *_squeeze(body)]) + "\n"


def _squeeze(lines: list[str]) -> list[str]:
    """The lines without runs of blank lines (what was left out leaves gaps), code kept as it is."""
    out: list[str] = []
    fence = ""
    for line in lines:
        match = FENCE.match(line)
        if match and not match.group("indent") and match.group("fence")[0] != ":":
            if not fence:
                fence = match.group("fence")
            elif line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
        elif not fence and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return out
