"""The house rules, checked on the source: one write path, and dependencies that run one way.

Both tests read the code with `ast`, so they hold for every module, including ones no
other test imports. When one fails, move the write into news.services (or the import
into the app that may have it) rather than widening the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
CONTENT_MODELS = {"Article", "Category", "Attachment", "BodyImage", "GlossaryTerm", "AuditEntry", "SiteSettings", "ImageSizes", "SectionGrant", "Tag", "Topic", "GalleryImage"}
WRITE_METHODS = {"save", "delete", "create", "update", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
# Names of variables that hold content rows in this code base (an instance's .save() / .delete()).
INSTANCE_NAMES = {"article", "category", "attachment", "node", "section", "story", "site_settings", "grant"}

# Which of our apps each app may import. hanzi is pure text at the bottom; news (the model, the
# write path, the public site) above it; the capability apps above news; site on top.
ALLOWED = {
    "hanzi": set(),
    "news": {"hanzi"},
    "stats": {"hanzi", "news"},
    "search": {"hanzi", "news"},
    "pagecache": {"hanzi", "news"},
    "feeds": {"hanzi", "news", "search"},
    "importer": {"hanzi", "news"},
    "editorial": {"hanzi", "news", "stats", "search", "importer"},
    "backup": {"news"},
    "publishing": {"hanzi", "news", "feeds", "search"},
    # guard reads publishing's signed-manifest verifier: what the release shipped is publishing's record.
    "guard": {"hanzi", "news", "publishing"},
    "site": {"hanzi", "news", "stats", "search", "importer", "editorial", "feeds", "pagecache", "guard"},
    # The production server, installed in every role (the edge's too): what it preloads, and
    # news.statistics (the article table's planner statistics, refreshed before forking when stale).
    "serving": {"hanzi", "search", "news"},
}


def _modules(*, include_tests: bool = False):
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts:
            continue
        if not include_tests and ("tests" in parts or "e2e" in parts or path.name in {"conftest.py"}):
            continue
        yield path, parts


def _receiver_names(node: ast.AST) -> list[str]:
    """The names along a call's receiver: Article.objects.filter(...).update → [Article, objects, filter]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return list(reversed(names))
        else:
            return list(reversed(names))


def content_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) for every call in `source` that writes a content row."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in WRITE_METHODS:
            continue
        chain = _receiver_names(node.func.value)
        if not chain:
            continue
        through_manager = chain[0] in CONTENT_MODELS and "objects" in chain
        on_instance = len(chain) == 1 and chain[0] in INSTANCE_NAMES and method in {"save", "delete"}
        if through_manager or on_instance:
            found.append((node.lineno, ".".join([*chain, method])))
    return found


def test_the_detector_finds_the_writes_it_is_meant_to_find():
    source = (
        "Article.objects.create(title='x')\n"
        "Category.objects.filter(pk=1).update(name='y')\n"
        "article.save()\n"
        "category.delete()\n"
        "article.cover.save('a.jpg', data, save=False)\n"  # a file, not the row
        "record.save()\n"  # another app's own model
    )
    assert [line for line, _ in content_writes(source)] == [1, 2, 3, 4]


def test_only_the_write_path_writes_content_rows():
    offenders = []
    for path, parts in _modules():
        if parts[:2] == ("news", "services"):
            continue
        for line, call in content_writes(path.read_text()):
            offenders.append(f"{'/'.join(parts)}:{line}: {call}")
    assert offenders == [], "content rows are written outside news.services:\n" + "\n".join(offenders)


def _imported_apps(source: str) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "xinwen":
                apps.update(alias.name for alias in node.names)
            elif node.module.startswith("xinwen."):
                apps.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("xinwen."):
                    apps.add(alias.name.split(".")[1])
    return apps


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_dependencies_run_one_way(app):
    folder = PACKAGE / app
    if not folder.exists():
        pytest.fail(f"the rules name an app that does not exist: {app}")
    offenders = []
    for path, parts in _modules():
        if parts[0] != app:
            continue
        for other in sorted(_imported_apps(path.read_text()) - {app} - ALLOWED[app]):
            if (PACKAGE / other).is_dir():
                offenders.append(f"{'/'.join(parts)} imports xinwen.{other}")
    assert offenders == [], f"{app} may import only {sorted(ALLOWED[app]) or 'no app of ours'}:\n" + "\n".join(offenders)


def test_every_app_has_a_rule():
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps <= set(ALLOWED), f"apps without a dependency rule: {sorted(apps - set(ALLOWED))}"


def test_what_is_public_is_decided_in_news_only():
    """Outside news, visibility comes from the queryset (published(), scheduled(), released()), never a status test."""
    offenders = []
    for path, parts in _modules():
        if parts[0] == "news":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "PUBLISHED":
                offenders.append(f"{'/'.join(parts)}:{node.lineno}")
    assert offenders == [], "Status.PUBLISHED tested outside news:\n" + "\n".join(offenders)
