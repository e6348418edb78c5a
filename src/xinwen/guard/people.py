"""Names and titles of the people an organisation writes about: a wrong title, an outdated
one, or a name with one wrong character. Pure functions over the back office's list.

Chinese puts the title before the name (集团党委书记、董事长周建国) or right after it
(周建国董事长); a title several people hold is often repeated (副总经理). So around each
known name the titles written against it are read off — longest listed title first, a
run of them joined by 、 or 兼, with 副 turning 总经理 into 副总经理 — and compared with
the titles that person holds on the day of the check. A title the person held before is
outdated; any other listed title is wrong. Only titles that appear in the list count:
free text between a title and a name is never guessed at.

A wrong character in a name is caught two ways: a listed look-alike or sound-alike of
one character (周健国 for 周建国), and, after one of a person's titles, a name of the
same length that differs from theirs in exactly one character and is nobody's name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

__all__ = ["Post", "PeopleProblem", "PeopleChecker", "LOOKALIKES"]

# Characters editors and input methods confuse in names (形近、音近): each group is interchangeable.
LOOKALIKES = [
    "己已巳", "未末", "戊戌戍", "王玉", "土士", "日曰", "天夭", "千干于", "问间", "晴睛", "准淮",
    "杨扬阳", "汪江", "李季", "刘浏", "陈阵", "张章", "明朋铭鸣", "国帼", "伟纬玮炜", "强墙蔷",
    "平苹萍评", "军君钧", "峰锋烽", "建健键", "林琳霖", "宏洪弘", "志治智", "华桦骅", "辉晖",
    "刚钢纲", "红虹鸿", "东冬栋", "振震", "海嗨", "新欣鑫", "庆青卿", "丽莉俐", "敏闵", "静婧靖",
    "涛滔", "勇永咏", "杰洁", "磊垒", "斌彬", "俊骏峻", "毅艺", "晓筱", "芳方", "云芸耘", "波博",
]  # fmt: skip
_SEPARATORS = "、兼及和"


@dataclass(frozen=True)
class Post:
    """One title a person holds, from a day to a day (either open)."""

    name: str
    title: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class PeopleProblem:
    start: int
    end: int
    text: str
    name: str  # the person meant
    message: str  # what is wrong, for the editor


def _variants(name: str) -> set[str]:
    groups = {char: group for group in LOOKALIKES for char in group}
    found = set()
    for index, char in enumerate(name):
        for other in groups.get(char, ""):
            if other != char:
                found.add(name[:index] + other + name[index + 1 :])
    return found


class PeopleChecker:
    """Built once per version of the list; `find(text, day)` is cheap for text without a listed name."""

    def __init__(self, posts: Iterable[Post]):
        self.posts: dict[str, list[Post]] = {}
        for post in posts:
            if post.name and post.title:
                self.posts.setdefault(post.name, []).append(post)
        self.titles = sorted({post.title for group in self.posts.values() for post in group}, key=len, reverse=True)
        self._holders: dict[str, list[str]] = {}  # title → names of everyone listed with it
        for name, group in self.posts.items():
            for title in dict.fromkeys(post.title for post in group):
                self._holders.setdefault(title, []).append(name)
        self._names = ahocorasick.Automaton()  # names, and look-alikes of names of three or more characters
        self._titles = ahocorasick.Automaton()
        for name in self.posts:
            self._names.add_word(name, (name, True))
            if len(name) >= 3:
                for variant in _variants(name) - self.posts.keys():
                    self._names.add_word(variant, (name, False))
        for title in self.titles:
            self._titles.add_word(title, title)
        self.size = len(self.posts)
        if self.size:
            self._names.make_automaton()
            self._titles.make_automaton()

    def find(self, text: str, day: datetime.date) -> list[PeopleProblem]:
        if not text or not self.size:
            return []
        problems: list[PeopleProblem] = []
        names: list[tuple[int, int, str]] = []
        for last, (name, exact) in self._names.iter(text):
            start = last - len(name) + 1
            if exact:
                names.append((start, last + 1, name))
            else:
                problems.append(PeopleProblem(start, last + 1, text[start : last + 1], name, f"人名疑有错字，应为「{name}」"))
        title_ends = [(last + 1, title) for last, title in self._titles.iter(text)]
        for start, end, name in names:
            problems.extend(self._title_problems(text, start, end, name, day))
        problems.extend(self._near_misses(text, title_ends, names, day))
        unique = {(p.start, p.end, p.message): p for p in problems}  # a look-alike after a title is found twice
        return sorted(unique.values(), key=lambda p: (p.start, p.end))

    def _titles_before(self, text: str, position: int) -> list[tuple[int, str]]:
        found = []
        while position > 0:
            title = next((t for t in self.titles if text.endswith(t, 0, position)), None)
            if title is None:
                break
            start = position - len(title)
            if text.endswith("副", 0, start) and not title.startswith("副"):
                title, start = "副" + title, start - 1
            found.append((start, title))
            position = start - 1 if start > 0 and text[start - 1] in _SEPARATORS else start
            if position == start:
                break
        return found

    def _title_problems(self, text: str, start: int, end: int, name: str, day: datetime.date):
        written = self._titles_before(text, start)
        after = next((t for t in self.titles if text.startswith(t, end)), None)
        if after and not text.endswith("副", 0, end):
            written.append((end, after))
        posts = self.posts[name]
        for position, title in written:
            held = [post for post in posts if post.title == title]
            if any(post.valid_on(day) for post in held):
                continue
            if held:
                now = "、".join(post.title for post in posts if post.valid_on(day)) or "无现任职务"
                message = f"「{name}」的职务「{title}」已变更，现为：{now}"
            else:
                now = "、".join(post.title for post in posts if post.valid_on(day)) or "无现任职务"
                message = f"「{name}」的职务不是「{title}」，应为：{now}"
            yield PeopleProblem(position, position + len(title), title, name, message)

    def _near_misses(self, text: str, title_ends, names, day: datetime.date):
        named = {start for start, _end, _name in names}
        for end, title in title_ends:
            if end in named:
                continue
            for name in self._holders.get(title, ()):
                written = text[end : end + len(name)]
                # The surname must match: 董事长吴建国 may be another company's chairman.
                if len(written) == len(name) and written[0] == name[0] and written not in self.posts and _one_apart(written, name):
                    yield PeopleProblem(end, end + len(name), written, name, f"人名疑有错字，应为「{name}」")


def _one_apart(written: str, name: str) -> bool:
    differing = [(a, b) for a, b in zip(written, name) if a != b]
    return len(differing) == 1 and "\u4e00" <= differing[0][0] <= "\u9fff"
