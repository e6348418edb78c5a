"""End-to-end tests: Debian's chromium against a real `xinwen serve` process."""
