"""Why a page could not be imported; each message tells the operator what was wrong, in Chinese."""

__all__ = ["ImportFailed", "BinaryContent", "UnknownEncoding", "TooLarge", "FetchFailed", "NotAnArticle", "NotAllowed", "SkippedPage"]


class ImportFailed(Exception):
    """A page was skipped; the message says why and what to do."""

    code = "failed"


class BinaryContent(ImportFailed):
    """The bytes are an image, archive or other binary file, not a page."""

    code = "binary"


class UnknownEncoding(ImportFailed):
    """No code page turns the bytes into readable Chinese."""

    code = "encoding"


class TooLarge(ImportFailed):
    """The page or file exceeds the size limit."""

    code = "too_large"


class FetchFailed(ImportFailed):
    """The URL could not be fetched (timeout, HTTP error, refused by robots.txt)."""

    code = "fetch"


class NotAnArticle(ImportFailed):
    """No title or no body could be found on the page."""

    code = "not_article"


class SkippedPage(NotAnArticle):
    """The page is the old site's home, a list, archive, about/contact or search page: not news."""

    code = "skipped"


class NotAllowed(ImportFailed):
    """The importing user lacks the permission to publish imported articles."""

    code = "not_allowed"
