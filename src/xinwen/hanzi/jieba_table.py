"""jieba's dictionary as a mapped table, cutting as rjieba cuts with HMM off: queries without rjieba's 50 MB.

rjieba (jieba-rs) builds jieba's dictionary of 349,046 words in each process that cuts one
word: about 53 MB that every worker answering a search would hold. `Dictionary` cuts short
text (a reader's query) from a table file of the same dictionary (`hanzi/mapped.py`),
shared by every process: jieba's directed graph of every dictionary word at each position,
the route of greatest probability through it (ties to the longer word), runs of single
ASCII letters and digits joined, other text split on whitespace and character by
character, and a site's own terms added with the frequency `suggest_freq` gives them, all as
jieba-rs does. `hanzi/tests/test_jieba_table.py` holds it to rjieba on thousands of texts,
with and without site terms. Indexing whole articles stays with rjieba: Rust is much faster
on long text, and a process that indexes is not a reader's worker.

The dictionary is jieba's own `dict.txt` (the one jieba-rs embeds), read from the installed
jieba package by a child process (`python -m xinwen.hanzi.jieba_table PATH`), once per
jieba version, under `VAR_DIR/cache/`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math
import re
import struct
import sys
import threading
from pathlib import Path

from xinwen.hanzi import mapped

__all__ = ["Dictionary", "build", "table"]

FORMAT = 1
_WORD, _PREFIX = 1, 0
_FREQ = struct.Struct("<Q")

# jieba-rs's RE_HAN_DEFAULT and RE_SKIP_DEFAULT. Rust's \s is Unicode White_Space, which,
# unlike Python's, leaves out U+001C..U+001F.
_HAN = re.compile(
    "([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002b73f\U0002b740-\U0002b81f"
    "\U0002b820-\U0002ceaf\U0002ceb0-\U0002ebef\U0002f800-\U0002fa1fa-zA-Z0-9+#&._%\\-]+)"
)
_SKIP = re.compile("(\r\n|[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])")


def _log(freq: int) -> float:
    return math.log(freq) if freq else -math.inf  # as Rust's ln(0.0)


def _dict_file() -> Path:
    spec = importlib.util.find_spec("jieba")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the jieba package (its dictionary) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dict.txt"


def build(path: Path) -> None:
    """Write jieba's dictionary (every word with its frequency, and every start of a word) to `path`."""
    freqs: dict[str, int] = {}
    with _dict_file().open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if parts:  # as jieba-rs reads it: word, frequency (0 if none), tag; a repeated word keeps its last
                freqs[parts[0]] = int(parts[1]) if len(parts) > 1 else 0
    entries = {word: mapped.entry(word, _WORD, _FREQ.pack(freq)) for word, freq in freqs.items()}
    header = {"jieba": importlib.metadata.version("jieba"), "total": sum(freqs.values()), "words": len(freqs)}
    mapped.write(path, FORMAT, header, {"words": mapped.with_starts(entries, _PREFIX)})


class Dictionary:
    """jieba's dictionary from the table plus words added in this process; cuts as `rjieba.Jieba().cut(text, False)`."""

    def __init__(self, table: mapped.Table):
        self._table = table
        self.total: int = table.header["total"]
        self._added: dict[str, int] = {}
        self._added_starts: set[str] = set()

    def _lookup(self, word: str) -> tuple[bool, int | None]:
        """(whether some word starts with `word`, its frequency if it is a word)."""
        if word in self._added:
            return True, self._added[word]
        found = self._table.find("words", word)
        if found is not None:
            return True, _FREQ.unpack(found[1])[0] if found[0] == _WORD else None
        return word in self._added_starts, None

    def freq(self, word: str) -> int | None:
        return self._lookup(word)[1]

    def has_word(self, word: str) -> bool:
        return self.freq(word) is not None

    def _route(self, sentence: str) -> list[int]:
        """For each position, where the most probable route's word from there ends."""
        size = len(sentence)
        lookup = self._lookup
        log_total = math.log(self.total)
        scores = [0.0] * (size + 1)
        ends = [0] * (size + 1)
        for start in range(size - 1, -1, -1):
            candidates = []
            end = start + 1
            while end <= size:
                starts, freq = lookup(sentence[start:end])
                if not starts:
                    break
                if freq is not None:
                    candidates.append((_log(freq) - log_total + scores[end], end))
                end += 1
            # The greatest (score, end), as jieba-rs compares them; with no word starting
            # here, the character alone, as if its frequency were 1.
            best = max(candidates) if candidates else (math.log(1) - log_total + scores[start + 1], start + 1)
            scores[start], ends[start] = best
        return ends

    def _cut_block(self, sentence: str, words: list[str]) -> None:
        ends = self._route(sentence)
        at, left = 0, None
        while at < len(sentence):
            end = ends[at]
            word = sentence[at:end]
            if len(word) == 1 and word.isascii() and word.isalnum():
                if left is None:
                    left = at
            else:
                if left is not None:
                    words.append(sentence[left:at])
                    left = None
                words.append(word)
            at = end
        if left is not None:
            words.append(sentence[left:])

    def cut(self, text: str, hmm: bool = False) -> list[str]:
        if hmm:
            raise ValueError("the table cuts without the HMM only")
        words: list[str] = []
        for index, block in enumerate(_HAN.split(text)):
            if not block:
                continue
            if index % 2:  # a run of Han, letters and digits
                self._cut_block(block, words)
                continue
            for part_index, part in enumerate(_SKIP.split(block)):
                if not part:
                    continue
                if part_index % 2:  # whitespace (or one \r\n) is a word of its own
                    words.append(part)
                else:
                    words.extend(part)  # anything else character by character
        return words

    def suggest_freq(self, segment: str) -> int:
        """The frequency that keeps `segment` whole, as jieba-rs suggests it."""
        log_total = math.log(self.total)
        log_freq = 0.0
        for word in self.cut(segment):
            freq = self.freq(word)
            log_freq = log_freq + _log(1 if freq is None else freq) - log_total
        own = self.freq(segment)
        return max(int(math.exp(log_freq + log_total)) + 1, 1 if own is None else own)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> int:
        """Add `word` (or change its frequency), as `rjieba.Jieba.add_word`; returns the frequency given."""
        if freq is None:
            freq = self.suggest_freq(word)
        old = self.freq(word)
        self.total += freq - (old or 0)
        self._added[word] = freq
        self._added_starts.update(word[:end] for end in range(1, len(word)))
        return freq


_lock = threading.Lock()
_table: mapped.Table | None = None


def table_path() -> Path:
    return mapped.folder() / f"jieba-{importlib.metadata.version('jieba')}-{FORMAT}.table"


def table() -> mapped.Table:
    """This process's mapped dictionary, built first if this jieba has none yet."""
    global _table
    with _lock:
        if _table is None:
            _table = mapped.Table.open_or_build(table_path(), FORMAT, "xinwen.hanzi.jieba_table")
        return _table


if __name__ == "__main__":
    build(Path(sys.argv[1]))
