"""The script variants a page can be read in, and how each is derived from a source text."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Variant", "VARIANTS", "DEFAULT_VARIANT", "variant_for_prefix", "SIMPLIFIED", "TRADITIONAL"]

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"


@dataclass(frozen=True)
class Variant:
    code: str  # our identifier, also the Django language code
    lang: str  # BCP 47 tag for <html lang> and hreflang
    prefix: str  # URL prefix ("" for the default script)
    label: str  # what the script switcher shows, in that script
    from_simplified: str | None  # OpenCC config applied to a Simplified source (None: unchanged)
    from_traditional: str | None  # OpenCC config applied to a Traditional source
    catalogue: str  # the gettext catalogue for UI strings


VARIANTS: dict[str, Variant] = {
    v.code: v
    for v in (
        # Simplified readers also get mainland vocabulary back from a Taiwan source (軟體 → 软件).
        Variant("zh-hans", "zh-Hans", "", "简体", None, "tw2sp", "zh-hans"),
        # The character forms Traditional readers use today (s2tw: 吃, 麵), not s2t's archaic 喫, 麪.
        Variant("zh-hant", "zh-Hant", "zh-hant", "繁體", "s2tw", "t2tw", "zh-hant"),
        # Taiwan: characters and vocabulary (软件 → 軟體, 鼠标 → 滑鼠).
        Variant("zh-tw", "zh-TW", "zh-tw", "臺灣正體", "s2twp", "t2tw", "zh-hant"),
        # Hong Kong character standard.
        Variant("zh-hk", "zh-HK", "zh-hk", "香港繁體", "s2hk", "t2hk", "zh-hant"),
    )
}
DEFAULT_VARIANT = VARIANTS["zh-hans"]


def variant_for_prefix(prefix: str) -> Variant | None:
    for variant in VARIANTS.values():
        if variant.prefix and variant.prefix == prefix:
            return variant
    return None
