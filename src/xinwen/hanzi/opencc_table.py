"""OpenCC's conversions read from one mapped table file, so that workers need not load OpenCC.

The opencc library keeps every configuration's dictionaries in its own memory: about 47 MB
for the eight configurations xinwen uses, in every process, counted in each worker's
RSS. The same dictionaries flattened into a table file (`hanzi/mapped.py`, about 4 MB)
cost each process only the pages it reads, and those pages are the kernel's, shared.

`Converter(config).convert(text)` gives exactly what `opencc.OpenCC(config).convert(text)`
gives for s2t, t2s, s2tw, s2twp, s2hk, t2tw, t2hk, tw2sp and tw2s of the installed opencc
(`hanzi/tests/test_opencc_table.py` compares them on every key of every dictionary and on
random text). What it reproduces, as opencc does it:

1. Normalization stages run first over the whole text.
2. Configurations with segmentation cut the text by longest match over their own dictionary:
   each match is a segment, and unmatched text piles up into one segment until the next
   match. Each segment ends at its first NUL (opencc reads it as a C string).
3. Each conversion stage converts each segment on its own, left to right: the longest key
   that starts there gives its first value; an ideographic description sequence
   (⿰氵青, nested) is copied whole; any other character is copied.
4. A dictionary group becomes one key → value table: `union` keeps the earlier child's
   value for equal keys (the longest match decides the rest); `short_circuit` keeps a later
   child's key only where no earlier child has a key that starts it.

The table is built from the installed opencc's dictionaries by a child process
(`python -m xinwen.hanzi.opencc_table PATH`, which runs opencc's own `opencc_dict` to read
them), once per opencc version, under `VAR_DIR/cache/`.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from xinwen.hanzi import mapped

__all__ = ["Converter", "converter", "CONFIGS", "build", "table_path", "TableUnavailable"]

FORMAT = 1
CONFIGS = ("s2t", "t2s", "s2tw", "s2twp", "s2hk", "t2tw", "t2hk", "tw2sp", "tw2s")
_KEY, _LONGER = 1, 2  # entry kinds: a key with a value; the start of a longer key (both may hold)

# Ideographic description characters and how many parts each describes (U+2FF0–U+2FFF).
_IDC = {chr(c): 2 for c in range(0x2FF0, 0x3000)} | {"\u2ff2": 3, "\u2ff3": 3, "\u2ffe": 1, "\u2fff": 1}
_IDS_DEPTH, _IDS_LENGTH = 16, 64


# --- building (in a child process that imports opencc) ----------------------------------


def _clib() -> Path:
    """The installed opencc's own files: `share/opencc` (configurations, dictionaries), `bin/opencc_dict`."""
    import opencc

    return Path(opencc.__file__).parent / "clib"


def _spec(config: str) -> dict:
    return json.loads((_clib() / "share" / "opencc" / f"{config}.json").read_text(encoding="utf-8"))


def _nodes(spec: dict) -> list[dict]:
    """Every dictionary (or group) a configuration uses: its stages' and its segmentation's."""
    nodes = [stage["dict"] for stage in spec.get("normalization", []) + spec["conversion_chain"]]
    return nodes + ([spec["segmentation"]["dict"]] if spec.get("segmentation") else [])


def _dictionaries(names: set[str]) -> dict[str, dict[str, str]]:
    """name → {key: first value} of opencc's own dictionary files, read with its `opencc_dict`."""
    share, tool = _clib() / "share" / "opencc", _clib() / "bin" / "opencc_dict"
    found: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as work:
        for name in sorted(names):
            text = Path(work) / f"{name}.txt"
            subprocess.run([str(tool), "-i", str(share / name), "-o", str(text), "-f", "ocd2", "-t", "text"],
                           check=True, timeout=120, stdout=subprocess.DEVNULL)  # fmt: skip
            entries: dict[str, str] = {}
            for line in text.read_text(encoding="utf-8").splitlines():
                key, _, values = line.partition("\t")
                if key and key not in entries:
                    entries[key] = values.split(" ")[0]
            found[name] = entries
    return found


def _files(node: dict) -> set[str]:
    if node["type"] == "group":
        return {name for child in node["dicts"] for name in _files(child)}
    return {node["file"]}


def _flatten(node: dict, files: dict[str, dict[str, str]]) -> dict[str, str]:
    """One key → value table that, by longest match, matches as opencc's dictionary group does."""
    if node["type"] != "group":
        return dict(files[node["file"]])
    children = [_flatten(child, files) for child in node["dicts"]]
    flat: dict[str, str] = {}
    if node["match_policy"] == "union":
        for child in children:
            for key, value in child.items():
                flat.setdefault(key, value)
        return flat
    # short_circuit: the first child with any match wins, however long a later child's match.
    earlier: set[str] = set()
    for child in children:
        for key, value in child.items():
            if not any(key[:end] in earlier for end in range(1, len(key) + 1)):
                flat[key] = value
        earlier |= child.keys()
    return flat


def _agrees(segmentation: dict[str, str], first: dict[str, str]) -> bool:
    """Whether the first stage converts a matched segment to the segmentation's own value, and
    unmatched text one character at a time (its longer keys are all the segmentation's)."""
    return all(first.get(key) == value for key, value in segmentation.items()) and all(
        len(key) == 1 or key in segmentation for key in first
    )


def _entries(table: dict[str, str]) -> dict[str, bytes]:
    starts = {key[:end] for key in table for end in range(1, len(key))}
    return {
        key: mapped.entry(key, (_KEY if key in table else 0) | (_LONGER if key in starts else 0),
                          table.get(key, "").encode())  # fmt: skip
        for key in sorted(table.keys() | starts)
    }


def build(path: Path) -> None:
    """Write the table for the installed opencc to `path` (imports opencc: run it in a child process)."""
    specs = {config: _spec(config) for config in CONFIGS}
    files = _dictionaries({name for spec in specs.values() for node in _nodes(spec) for name in _files(node)})
    tables: dict[str, dict[str, bytes]] = {}
    firsts: dict[str, str] = {}
    flats: dict[str, dict[str, str]] = {}  # a node's JSON → its flattened table: configurations share stages
    names: dict[str, str] = {}  # a node's JSON → its table's name

    def flat_of(node: dict) -> dict[str, str]:
        shape = json.dumps(node, sort_keys=True)
        if shape not in flats:
            flats[shape] = _flatten(node, files)
        return flats[shape]

    def table_of(node: dict) -> str:
        shape = json.dumps(node, sort_keys=True)
        if shape not in names:
            name = names[shape] = f"t{len(names)}"
            flat = flat_of(node)
            tables[name] = _entries(flat)
            firsts[name] = "".join(sorted({key[0] for key in flat}))
        return names[shape]

    configs = {}
    for config, spec in specs.items():
        segmentation = spec.get("segmentation")
        configs[config] = {
            "normalize": [table_of(stage["dict"]) for stage in spec.get("normalization", [])],
            "segment": table_of(segmentation["dict"]) if segmentation else None,
            "stages": [table_of(stage["dict"]) for stage in spec["conversion_chain"]],
            # The first stage converts a matched segment to the value the segmentation found and
            # the rest one character at a time (s2tw, s2twp and s2hk: the same phrases).
            "fused": bool(segmentation) and _agrees(flat_of(segmentation["dict"]), flat_of(spec["conversion_chain"][0]["dict"])),
        }
    header = {"opencc": importlib.metadata.version("opencc"), "configs": configs, "firsts": firsts}
    mapped.write(path, FORMAT, header, tables)


# --- reading -------------------------------------------------------------------------------


class _Stage:
    """One flattened dictionary: longest match over the mapped table, with what was looked up remembered."""

    # Lookups remembered per stage, then forgotten at once: what odd text (a search query) can grow
    # stays under about 5 MB a stage. The demo site's 27,000 characters fill 12,000 in s2twp.
    _MEMO_MAX = 20_000

    def __init__(self, table: mapped.Table, name: str, firsts: str):
        self._table, self._name = table, name
        # Where a key or a description sequence can start: what lies between is copied as it is.
        self.starts = _class(firsts)
        self._memo: dict[str, tuple[int, str] | None] = {}
        self.chars = _Chars(self)  # character → its value or itself, for str.translate

    def _find(self, key: str) -> tuple[int, str] | None:
        memo = self._memo
        try:
            return memo[key]
        except KeyError:
            pass
        if len(memo) >= self._MEMO_MAX:
            memo.clear()
        found = self._table.find(self._name, key)
        found = memo[key] = None if found is None else (found[0], found[1].decode())
        return found

    def match(self, text: str, at: int) -> tuple[int, str]:
        """(length, value) of the longest key at `at`; length 0 where none starts there."""
        find = self._find
        first = find(text[at])
        if first is None:
            return 0, ""
        kind, value = first
        length = 1 if kind & _KEY else 0
        end, size = at + 1, len(text)
        while kind & _LONGER and end < size:
            found = find(text[at : end + 1])
            if found is None:
                break
            end += 1
            kind = found[0]
            if kind & _KEY:
                length, value = end - at, found[1]
        return length, value

    def convert(self, text: str, *, joined: bool = False) -> str:
        """`text` converted by longest match; `joined`: NULs separate segments (no key or sequence spans one)."""
        out: list[str] = []
        done = 0
        search, match = self.starts.search, self.match
        found = search(text)
        while found is not None:
            at = found.start()
            if at > done:
                out.append(text[done:at])
            whole = _ids_end(text, at, joined) if text[at] in _IDC else 0
            if whole:
                out.append(text[at:whole])
                done = whole
            else:
                length, value = match(text, at)
                if length:
                    out.append(value)
                    done = at + length
                else:
                    out.append(text[at])
                    done = at + 1
            found = search(text, done)
        if done == 0:
            return text
        out.append(text[done:])
        return "".join(out)

    def segment(self, text: str) -> list[tuple[str, str | None]]:
        """`text` cut as opencc's max-match segmentation cuts it: (segment, its key's value or None if unmatched)."""
        segments: list[tuple[str, str | None]] = []
        pending = done = 0
        search, match = self.starts.search, self.match
        found = search(text)
        while found is not None:
            at = found.start()
            whole = _ids_end(text, at, False) if text[at] in _IDC else 0
            if whole:  # a description sequence stays in the unmatched text, whole
                done = whole
            else:
                length, value = match(text, at)
                if length:
                    if at > pending:
                        segments.append((text[pending:at], None))
                    segments.append((text[at : at + length], value))
                    pending = done = at + length
                else:
                    done = at + 1
            found = search(text, done)
        if pending < len(text):
            segments.append((text[pending:], None))
        return segments


class _Chars(dict):
    """A stage's single characters, looked up when first met: what str.translate needs, at C speed after."""

    def __init__(self, stage: _Stage):
        super().__init__()
        self._stage = stage

    def __missing__(self, number: int) -> str:
        if len(self) >= _Stage._MEMO_MAX:
            self.clear()
        found = self._stage._find(chr(number))
        value = self[number] = found[1] if found is not None and found[0] & _KEY else chr(number)
        return value


_IDC_RE = re.compile("[\u2ff0-\u2fff]")


def _class(chars: str) -> re.Pattern:
    """A pattern for any of `chars` or a description character: a superset (a start where no key starts
    is copied), so that re can test the Basic Multilingual Plane's part as one bitmap; it can
    only test a set holding a character beyond that plane one range at a time (10–20× slower)."""
    basic = "".join(re.escape(c) for c in chars if c < "\U00010000")
    beyond = [c for c in chars if c >= "\U00010000"]
    pattern = f"[{basic}\u2ff0-\u2fff]"
    if beyond:
        pattern += f"|[{min(beyond)}-{max(beyond)}]"
    return re.compile(pattern)


def _ids_end(text: str, at: int, joined: bool) -> int:
    """Where the ideographic description sequence starting at `at` ends; 0 if none does."""
    end = _ids_part(text, at, 1, joined)
    return end if end and end - at <= _IDS_LENGTH else 0


def _ids_part(text: str, at: int, depth: int, joined: bool) -> int:
    if at >= len(text) or (joined and text[at] == "\0") or depth > _IDS_DEPTH:  # a part's depth counts too
        return 0
    parts = _IDC.get(text[at])
    if parts is None:
        return at + 1  # any other character is one part
    end = at + 1
    for _ in range(parts):
        end = _ids_part(text, end, depth + 1, joined)
        if not end:
            return 0
    return end


class Converter:
    """One OpenCC configuration, read from the table: `convert()` as `opencc.OpenCC(config).convert()`."""

    def __init__(self, table: mapped.Table, config: str, stages: dict[str, _Stage]):
        spec = table.header["configs"][config]
        self.config = config
        self._normalize = [stages[name] for name in spec["normalize"]]
        self._segment = stages[spec["segment"]] if spec["segment"] else None
        self._stages = [stages[name] for name in spec["stages"]]
        self._fused = spec.get("fused", False)

    def convert(self, text: str) -> str:
        if not text:
            return text
        text.encode()  # a lone surrogate raises, as opencc's does
        for stage in self._normalize:
            text = stage.convert(text)
        if self._segment is None:
            for stage in self._stages:
                text = stage.convert(text)
            return text
        # Each segment is converted on its own and ends at its first NUL, as opencc reads it as
        # a C string. A matched segment is a key of the first stage with the same value where the
        # table says so (`fused`): its conversion is known. With the NULs gone, one NUL between
        # segments keeps every later match inside its own: no key holds a NUL, and `joined`
        # stops a description sequence at one.
        first, fused = self._stages[0], self._fused
        parts = []
        for segment, value in self._segment.segment(text):
            if not fused:
                parts.append(first.convert(segment.partition("\0")[0]))
            elif value is not None:
                parts.append(value)
            else:  # unmatched: no longer key starts in it
                segment = segment.partition("\0")[0]
                parts.append(first.convert(segment) if _IDC_RE.search(segment) else segment.translate(first.chars))
        text = "\0".join(parts)
        for stage in self._stages[1:]:
            text = stage.convert(text, joined=True)
        return text.replace("\0", "")


class _Tables:
    def __init__(self, table: mapped.Table):
        self.version = table.header["opencc"]
        firsts = table.header["firsts"]
        stages = {name: _Stage(table, name, firsts[name]) for name in firsts}
        self.converters = {config: Converter(table, config, stages) for config in table.header["configs"]}


class TableUnavailable(RuntimeError):
    """The table could not be opened or built (an opencc build without its opencc_dict tool, a broken package)."""


_lock = threading.Lock()
_tables: _Tables | TableUnavailable | None = None


def table_path() -> Path:
    return mapped.folder() / f"opencc-{importlib.metadata.version('opencc')}-{FORMAT}.table"


def converter(config: str) -> Converter:
    """This process's converter for `config`, the table built first if this opencc has none yet."""
    global _tables
    found = _tables
    if found is None:
        with _lock:
            if _tables is None:
                try:
                    _tables = _Tables(mapped.Table.open_or_build(table_path(), FORMAT, "xinwen.hanzi.opencc_table"))
                except (OSError, ValueError, KeyError, struct.error, subprocess.SubprocessError) as exc:
                    _tables = TableUnavailable(f"OpenCC's table could not be built: {exc}")  # not tried again
            found = _tables
    if isinstance(found, TableUnavailable):
        raise found
    try:
        return found.converters[config]
    except KeyError:
        raise ValueError(f"OpenCC's {config!r} is not in the table (it holds {', '.join(CONFIGS)}): "
                         "set XINWEN_OPENCC=library to use any configuration") from None


if __name__ == "__main__":
    build(Path(sys.argv[1]))
