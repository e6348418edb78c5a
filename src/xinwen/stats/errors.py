"""Why a view was not recorded, for the views to turn into 4xx answers."""

__all__ = ["StatsError", "ArticleNotFound", "RateLimited"]


class StatsError(Exception):
    """Base class of the stats app's errors."""


class ArticleNotFound(StatsError):
    """The article does not exist or is not published."""


class RateLimited(StatsError):
    """The client sent more beacons than the rate limit allows; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after
