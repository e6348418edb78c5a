"""pypinyin, imported with its phrase dictionary held compactly: import it through `pypinyin()`.

pypinyin decodes its phrase dictionary (about 47,000 phrases) from JSON as a list of
lists of strings per phrase: some 600,000 objects, about 35 MB in every process that
shows a reading, and its own copy of the dictionary beside them. `pypinyin()` reads the
same file one phrase at a time, keeps every reading of a character as one shared tuple
(the syllables interned), and gives pypinyin that dictionary as its `phrases_dict` module
before pypinyin is first imported. pypinyin deep-copies a phrase's list before changing
it, and a copy of a tuple of strings is the tuple itself, so sharing them changes nothing
it returns (tests/test_pinyin_data.py compares both against pypinyin as published).

Reading one phrase at a time leaves no garbage between the objects that stay, so a
server that loads this before forking shares dense pages with its workers. If the file
is missing or not in the expected shape, pypinyin loads its dictionary itself.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import threading
import types
from pathlib import Path

__all__ = ["pypinyin", "phrases_load"]

_SPACE = re.compile(r"\s*")
_lock = threading.Lock()


def phrases_load(path: Path) -> dict[str, list[tuple[str, ...]]] | None:
    """The phrase dictionary in `path` (JSON: phrase → one list of readings per character), or None if not that shape."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    decoder = json.JSONDecoder()
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    phrases: dict[str, list[tuple[str, ...]]] = {}
    try:
        pos = _SPACE.match(text).end()
        if text[pos] != "{":
            return None
        pos = _SPACE.match(text, pos + 1).end()
        while text[pos] != "}":
            phrase, pos = decoder.raw_decode(text, pos)
            pos = _SPACE.match(text, pos).end()
            if text[pos] != ":":
                return None
            value, pos = decoder.raw_decode(text, _SPACE.match(text, pos + 1).end())
            if not (isinstance(phrase, str) and isinstance(value, list) and value):
                return None
            readings = []
            for item in value:
                if not (isinstance(item, list) and item and all(isinstance(s, str) for s in item)):
                    return None
                key = tuple(sys.intern(s) for s in item)
                readings.append(shared.setdefault(key, key))
            phrases[phrase] = readings
            pos = _SPACE.match(text, pos).end()
            if text[pos] == ",":
                pos = _SPACE.match(text, pos + 1).end()
            elif text[pos] != "}":
                return None
    except (IndexError, ValueError):  # cut short, or not JSON
        return None
    return phrases


def pypinyin() -> types.ModuleType:
    """The pypinyin package, its phrase dictionary loaded compactly if this process imports it first."""
    module = sys.modules.get("pypinyin")
    if module is not None:
        return module
    with _lock:
        if "pypinyin" not in sys.modules and "pypinyin.phrases_dict" not in sys.modules:
            spec = importlib.util.find_spec("pypinyin")
            places = list(spec.submodule_search_locations or []) if spec else []
            phrases = phrases_load(Path(places[0]) / "phrases_dict.json") if places else None
            if phrases is not None:
                stand_in = types.ModuleType("pypinyin.phrases_dict", "pypinyin's phrase dictionary, loaded by xinwen")
                stand_in.phrases_dict = phrases
                sys.modules["pypinyin.phrases_dict"] = stand_in
        import pypinyin as module
        from pypinyin import constants

        if isinstance(sys.modules.get("pypinyin.phrases_dict"), types.ModuleType) and constants.PHRASES_DICT:
            sys.modules["pypinyin.phrases_dict"].phrases_dict = constants.PHRASES_DICT  # pypinyin's copy: one table, not two
    return module
