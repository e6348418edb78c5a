"""Which user agents are crawlers, scripts or automated browsers (pure, table-tested).

Views from these are never counted. The list names the crawlers that visit Chinese
organisation sites most (Baidu, Sogou, 360, Shenma/Yisou, ByteDance) and the generic
markers every honest crawler carries; headless browsers and HTTP libraries announce
themselves in the user agent too. Requests that fake a browser's user agent are caught,
where they can be, by the beacon's shape (see views.py), not here.
"""

from __future__ import annotations

import re

__all__ = ["is_bot"]

_BOT_MARKERS = [
    # Search engines and crawlers seen on Chinese sites.
    r"baiduspider", r"baidu-yunguance", r"googlebot", r"google-inspectiontool", r"adsbot-google",
    r"mediapartners-google", r"bingbot", r"bingpreview", r"msnbot", r"sogou[\w -]*spider", r"360spider", r"haosouspider",
    r"yisouspider", r"bytespider", r"toutiaospider", r"petalbot", r"yandex", r"duckduckbot", r"slurp",
    r"applebot", r"semrushbot", r"ahrefsbot", r"mj12bot", r"dotbot", r"gptbot", r"claudebot", r"ccbot",
    r"amazonbot", r"facebookexternalhit", r"twitterbot", r"feedfetcher",
    # Anything that calls itself a bot, spider or crawler.
    # (Not the Cubot phones, whose user agent says "CUBOT X30".)
    r"(?<!cu)bot\b", r"spider", r"crawl", r"scrap",
    # Headless and automated browsers.
    r"headlesschrome", r"phantomjs", r"puppeteer", r"playwright", r"selenium", r"lighthouse",
    r"pagespeed", r"slimerjs",
    # HTTP libraries and command-line tools.
    r"^curl/", r"^wget/", r"python-requests", r"python-urllib", r"python-httpx", r"aiohttp", r"^httpie/",
    r"go-http-client", r"okhttp", r"^java/", r"apache-httpclient", r"libwww-perl", r"^lwp::", r"node-fetch",
    r"^axios/", r"^undici", r"^got ", r"guzzlehttp", r"^ruby", r"^php/", r"^wrk\b", r"apachebench", r"^ab/",
    r"^postmanruntime/", r"^insomnia/",
]
_BOT = re.compile("|".join(_BOT_MARKERS))  # matched against the lower-cased user agent: faster than IGNORECASE
# What every browser's user agent starts with ("Mozilla/5.0 (...)"; Opera Mini and old Opera differ).
_BROWSER = re.compile(r"^(Mozilla|Opera)/\d", re.IGNORECASE)


def is_bot(user_agent: str) -> bool:
    """True for crawlers, scripts and automated browsers, and for a missing or non-browser user agent."""
    user_agent = (user_agent or "").strip()
    if not user_agent or not _BROWSER.match(user_agent):
        return True
    return _BOT.search(user_agent.lower()) is not None
