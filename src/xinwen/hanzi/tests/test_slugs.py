"""Slugs for category names created by the importer."""

import pytest

from xinwen.hanzi.slugs import pinyin_slug


@pytest.mark.parametrize(
    "name, slug",
    [("新闻中心", "xin-wen-zhong-xin"), ("新聞中心", "xin-wen-zhong-xin"), ("党建 News", "dang-jian-news"), ("！！", ""), ("重庆分公司", "chong-qing-fen-gong-si")],
)
def test_category_names_become_ascii_slugs(name, slug):
    assert pinyin_slug(name) == slug
