"""What can stop a publish or a verify, each with a message an operator can act on."""


class PublishError(Exception):
    """The build cannot run (bad target, no release, a page that does not render)."""


class ManifestError(Exception):
    """A manifest that is missing, unreadable or not signed by the expected key."""
