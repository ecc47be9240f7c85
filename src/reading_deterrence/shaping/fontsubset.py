"""One font subsetter for the two kinds of font the site ships: the theme's icon fonts, cut to the
icons the pages show (:mod:`.css`), and the Korean and Japanese faces cut to the characters the
pages show (:mod:`.fonts`). fontTools does the subsetting; this module only keeps its results in a
content-addressed cache, so that a rebuild with the same font, characters, options and fontTools
version reuses the file instead of subsetting again (a CJK collection takes seconds)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def subset(source: Path, codepoints: set[int], cache: Path, options: dict, number: int = 0) -> bytes:
    """Font ``number`` of ``source`` cut to ``codepoints`` with fontTools ``options`` (a name ending
    in ``+`` adds to fontTools' default list instead of replacing it), cached by content: the
    font's bytes, the characters, the options and fontTools' version."""
    import fontTools
    from fontTools import subset as ft

    recipe = f"{fontTools.version}:{number}:{sorted(codepoints)}:{sorted(options.items())}".encode()
    key = hashlib.sha256(source.read_bytes() + recipe).hexdigest()[:20]
    cached = cache / f"{source.stem}-{number}-{key}.{options.get('flavor') or source.suffix.lstrip('.')}"
    if not cached.exists():
        settings = ft.Options()
        settings.font_number = number
        for name, value in options.items():
            if name.endswith("+"):
                setattr(settings, name[:-1], [*getattr(settings, name[:-1]), *value])
            else:
                setattr(settings, name, value)
        font = ft.load_font(str(source), settings)
        subsetter = ft.Subsetter(settings)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        cache.mkdir(parents=True, exist_ok=True)
        ft.save_font(font, str(cached), settings)
    return cached.read_bytes()
