"""Slugs for names of sections (created in the back office, by `xinwen category add` or by the importer) and of tags."""

import pytest

from xinwen.hanzi.pinyin import pinyin_slug


@pytest.mark.parametrize(
    "name, slug",
    [
        ("新闻中心", "xin-wen-zhong-xin"),
        ("新聞中心", "xin-wen-zhong-xin"),
        ("党建 News", "dang-jian-news"),
        ("！！", ""),
        ("重庆分公司", "chong-qing-fen-gong-si"),
        ("重慶分公司", "chong-qing-fen-gong-si"),  # read as 重庆, not character by character (zhòng)
        ("數字化轉型", "shu-zi-hua-zhuan-xing"),
        ("Café 新闻", "cafe-xin-wen"),
        ("5G网络", "5g-wang-luo"),
        ("AI 大模型", "ai-da-mo-xing"),
    ],
)
def test_names_become_ascii_slugs(name, slug):
    assert pinyin_slug(name) == slug


def test_a_slug_is_cut_at_its_length_without_a_trailing_hyphen():
    assert pinyin_slug("数字化转型", max_length=7) == "shu-zi"
