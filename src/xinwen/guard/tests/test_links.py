"""Dead links: internal ones at save, external ones by `xinwen linkcheck` against a loopback server."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from xinwen.conftest import make_article
from xinwen.guard.linkcheck import USER_AGENT, check_links
from xinwen.guard.links import body_links
from xinwen.guard.models import LinkCheck
from xinwen.news import services
from xinwen.news.content_checks import NeedsConfirmation, article_findings
from xinwen.news.models import Article

S = Article.Status


class _Handler(BaseHTTPRequestHandler):
    log: list[tuple[float, str, str, str]] = []

    def _answer(self, body: bool):
        self.log.append((time.monotonic(), self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private\n", body)
        if path == "/ok":
            return self._send(200, b"fine", body)
        if path == "/gone":
            return self._send(404, b"not here", body)
        if path == "/nohead":
            return self._send(405 if self.command == "HEAD" else 200, b"get only", body)
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/slow":
            time.sleep(1.5)
            return self._send(200, b"late", body)
        if path == "/private":
            return self._send(404, b"must never be asked", body)
        return self._send(500, b"broken", body)

    def _send(self, status, data, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def log_message(self, *args):
        pass


@pytest.fixture
def remote():
    _Handler.log = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_body_links_reads_links_and_images_once():
    body = '<p><a href="/article/1/">a</a> <a href=\'/article/1/\'>b</a> <img src="/media/x.png" alt=""></p>'
    assert body_links(body) == ["/article/1/", "/media/x.png"]


@pytest.mark.django_db
def test_internal_links_must_lead_to_public_pages(tree, editor, settings):
    settings.SITE_URL = "https://news.example.org"
    public = make_article(category=tree["company"], title="已发布")
    draft = make_article(category=tree["company"], status=S.DRAFT, title="草稿")
    body = (
        f'<p><a href="/article/{public.pk}/">好</a><a href="/zh-tw/article/{public.pk}/">繁</a>'
        f'<a href="https://news.example.org/category/company/">栏目</a><a href="/article/{draft.pk}/">草稿</a>'
        '<a href="/article/999999/">没有</a><a href="/no/such/page/">乱</a><a href="/category/nowhere/">无栏目</a>'
        '<a href="https://other.example.com/x">外部</a></p>'
    )
    article = make_article(category=tree["company"], status=S.DRAFT, title="链接", body=body)
    found = [(f.text, f.action, f.word) for f in article_findings(article)[1] if f.category == "死链"]
    assert found == [
        (f"/article/{draft.pk}/", "note", "链接的文章尚未发布或已下线"),
        ("/article/999999/", "confirm", "链接的文章不存在"),
        ("/no/such/page/", "confirm", "站内页面不存在"),
        ("/category/nowhere/", "confirm", "链接的栏目不存在"),
    ]
    with pytest.raises(NeedsConfirmation, match="死链"):
        services.article_publish(article=article, user=editor)
    services.article_publish(article=article, user=editor, confirmed=True)


def test_check_links_reports_each_kind_of_answer(remote):
    urls = [f"{remote}/{name}" for name in ("ok", "gone", "nohead", "moved", "private", "other")]
    results, requests = check_links(urls, interval=0, timeout=1)
    by_url = {r.url.rsplit("/", 1)[1]: (r.status, r.broken, r.skipped, r.error) for r in results}
    assert by_url == {
        "ok": (200, False, False, ""),
        "gone": (404, True, False, "HTTP 404"),
        "nohead": (200, False, False, ""),
        "moved": (200, False, False, ""),
        "private": (None, False, True, "robots.txt 不允许检查"),
        "other": (500, True, False, "HTTP 500"),
    }
    asked = [path for _t, _method, path, _ua in _Handler.log]
    assert "/private" not in asked and asked.count("/robots.txt") == 1
    assert all(ua == USER_AGENT for *_rest, ua in _Handler.log) and requests == len(_Handler.log)


def test_a_slow_host_is_a_timeout_not_a_hang(remote):
    started = time.monotonic()
    [result], _requests = check_links([f"{remote}/slow"], interval=0, timeout=0.3)
    assert result.broken and result.error == "超时" and time.monotonic() - started < 1.4


def test_requests_to_one_host_are_spaced_by_the_interval(remote):
    # A clock that moves only when the checker sleeps: every wait it needs shows as a sleep.
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    localhost = remote.replace("127.0.0.1", "localhost")  # the same server under a second host name
    urls = [f"{remote}/ok", f"{remote}/gone", f"{remote}/moved", f"{localhost}/ok"]
    check_links(urls, interval=0.25, timeout=1, clock=lambda: now[0], sleep=sleep)
    # Order: 127/ok, localhost/ok, 127/gone, 127/moved (+ its hop). Each host waits between its
    # own requests (robots.txt → /ok on both, /moved → hop), and the wait for localhost is spent
    # for 127.0.0.1: /gone goes out without one.
    assert len(_Handler.log) == 7 and slept == [0.25] * 4


@pytest.mark.django_db
def test_the_command_stores_results_prints_broken_links_and_exits_3(tree, remote, client, admin_user, capsys):
    one = make_article(category=tree["company"], title="一", body=f'<p><a href="{remote}/gone">旧</a><a href="{remote}/ok">新</a></p>')
    two = make_article(category=tree["company"], title="二", body=f'<p><a href="{remote}/gone">同一个</a></p>')
    make_article(category=tree["company"], status=S.DRAFT, title="草稿", body=f'<p><a href="{remote}/other">草稿里的</a></p>')
    with pytest.raises(SystemExit) as exit_:
        call_command("linkcheck", "--interval", "0", "--timeout", "1")
    assert exit_.value.code == 3
    out = capsys.readouterr()
    assert out.out.splitlines() == [f"{one.pk}\t{remote}/gone\tHTTP 404", f"{two.pk}\t{remote}/gone\tHTTP 404"]
    assert "2 个外部链接" in out.err and "1 个失效" in out.err
    assert set(LinkCheck.objects.filter(broken=True).values_list("article_id", flat=True)) == {one.pk, two.pk}
    assert LinkCheck.objects.get(article=one, url=f"{remote}/ok").status == 200
    assert [path for *_t, path, _ua in _Handler.log].count(f"/gone") == 1  # asked once for both articles

    client.force_login(admin_user)
    page = client.get(reverse("admin:guard_linkcheck_changelist"), follow=True).content.decode()
    assert "死链报告" in page and f"{remote}/gone" in page and "一" in page and f"{remote}/ok\"" not in page

    # Fixed: the next run says so, exits 0 and forgets the dead link.
    services.article_save(article=_with_body(one, f'<p><a href="{remote}/ok">新</a></p>'), user=None)
    services.article_save(article=_with_body(two, "<p>无链接</p>"), user=None)
    with pytest.raises(SystemExit) as exit_:
        call_command("linkcheck", "--interval", "0", "--timeout", "1")
    assert exit_.value.code == 0 and not LinkCheck.objects.filter(broken=True).exists()


def _with_body(article, body):
    article.body = body
    return article


@pytest.mark.django_db
def test_bad_arguments_exit_2():
    with pytest.raises(SystemExit) as exit_:
        call_command("linkcheck", "--timeout", "0")
    assert exit_.value.code == 2
