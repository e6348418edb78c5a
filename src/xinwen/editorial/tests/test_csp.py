"""The article form's style-src hash is the stylesheet the installed rich-text editor actually injects."""

from __future__ import annotations

import base64
import hashlib
import re

from django.contrib.staticfiles import finders

from xinwen.editorial.admin import EDITOR_STYLE_HASH


def test_editor_style_hash_matches_the_installed_editor():
    source = open(finders.find("django_prose_editor/editor.js"), encoding="utf-8").read()
    # Tiptap's base stylesheet is a template literal that starts with the .ProseMirror rules.
    match = re.search(r"`(\.ProseMirror \{.*?)`", source, re.S)
    assert match, "the editor no longer carries Tiptap's base stylesheet: see EDITOR_STYLE_HASH in editorial/admin.py"
    digest = base64.b64encode(hashlib.sha256(match.group(1).encode()).digest()).decode()

    expected = f"'sha256-{digest}'"
    assert EDITOR_STYLE_HASH == expected, f"the editor's stylesheet changed: set EDITOR_STYLE_HASH = {expected!r}"
