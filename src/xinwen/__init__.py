"""xinwen (新闻): a news-center publishing system for organisation websites."""

__version__ = "0.1.0"
