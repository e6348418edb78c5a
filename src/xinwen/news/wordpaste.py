"""Word and WPS clipboard HTML made into plain structure, before the sanitiser keeps what it allows.

Word (and WPS, which writes Word's HTML) has no `<ul>`/`<ol>`: each list item is a paragraph
with `mso-list:l0 level1 lfo1` in its style and its bullet or number as text inside
`<![if !supportLists]>` (or a `mso-list:Ignore` span). Dropped blindly, the bullet becomes a
stray "l" or "·" at the start of a paragraph (Wingdings' bullet is the letter l). Here those
paragraphs become real lists, nested by level; `align="right"`/`text-align:center` become the
classes the sanitiser allows (落款 on the right, centred titles); the row Word marks as a
table's first/header row becomes `<thead>` with `<th>`. Pure: HTML in, HTML out.
"""

from __future__ import annotations

import re


__all__ = ["clean_office_html", "looks_like_office_html", "ALIGN_CLASSES"]

ALIGN_CLASSES = {"right": "align-right", "center": "align-center"}

_CONDITIONAL = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.S | re.I)
_OTHER_CONDITIONAL = re.compile(r"<!\[(?:if [^\]]*|endif)\]>", re.I)
_LIST_STYLE = re.compile(r"mso-list:\s*l(\d+)\s+level(\d+)", re.I)
_ALIGN_STYLE = re.compile(r"text-align:\s*(right|center)", re.I)
_NUMBERED = re.compile(r"^[(（]?([0-9０-９]+|[a-zA-Z]|[ivxlcIVXLC]+|[一二三四五六七八九十]+)[.．、)）]")
_MARKER_CLASS = "xw-list-marker"


def looks_like_office_html(markup: str) -> bool:
    """Whether `markup` came from Word or WPS (only then is it worth parsing here)."""
    return "mso-" in markup or "supportLists" in markup or "urn:schemas-microsoft-com" in markup or 'align="' in markup


def _list_info(element) -> tuple[str, int] | None:
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return None
    match = _LIST_STYLE.search(element.get("style", ""))
    if not match or element.tag not in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div"}:
        return None
    return match.group(1), int(match.group(2))


def _take_marker(paragraph) -> str:
    """Remove the bullet or number Word wrote as text, and return it."""
    for span in paragraph.iter("span"):
        if span.get("class") == _MARKER_CLASS or "mso-list:ignore" in span.get("style", "").lower().replace(" ", ""):
            text = span.text_content()
            tail = span.tail or ""
            parent = span.getparent()
            previous = span.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(span)
            return text.replace("\xa0", " ").strip()
    return ""


def _make_item(paragraph):
    from lxml import etree

    item = etree.Element("li")
    item.text = (paragraph.text or "").lstrip("\xa0 ")
    for child in list(paragraph):
        item.append(child)
    return item


def _build_lists(container) -> None:
    from lxml import etree

    children = list(container)
    index = 0
    while index < len(children):
        info = _list_info(children[index])
        if info is None:
            _build_lists(children[index])
            index += 1
            continue
        run = []
        while index < len(children) and (found := _list_info(children[index])) and found[0] == info[0]:  # one list id
            run.append((children[index], found[1]))
            index += 1
        first = run[0][0]
        parent = first.getparent()
        position = parent.index(first)
        stack: list[tuple[int, object]] = []  # (level, list element)
        top = None
        for paragraph, level in run:
            marker = _take_marker(paragraph)
            tag = "ol" if _NUMBERED.match(marker) else "ul"
            while stack and stack[-1][0] > level:
                stack.pop()
            if not stack or stack[-1][0] < level:
                new_list = etree.Element(tag)
                if stack and len(stack[-1][1]):
                    stack[-1][1][-1].append(new_list)  # nested inside the item above it
                elif top is None:
                    top = new_list
                stack.append((level, new_list))
            stack[-1][1].append(_make_item(paragraph))
            parent.remove(paragraph)
        if top is not None:
            parent.insert(position, top)


def _align(container) -> None:
    for element in container.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "div"):
        direction = (element.get("align") or "").lower()
        match = _ALIGN_STYLE.search(element.get("style", ""))
        direction = match.group(1).lower() if match else direction
        if direction in ALIGN_CLASSES:
            element.set("class", ALIGN_CLASSES[direction])


def _header_rows(container) -> None:
    from lxml import etree

    for table in container.iter("table"):
        rows = [row for row in table.iter("tr") if "mso-yfti-firstrow:yes" in row.get("style", "").replace(" ", "").lower()]
        if not rows or table.find("thead") is not None:
            continue
        row = rows[0]
        for cell in row.findall("td"):
            cell.tag = "th"
            cell.set("scope", "col")
        head = etree.Element("thead")
        row.getparent().remove(row)
        head.append(row)
        table.insert(0, head)


def clean_office_html(markup: str) -> str:
    """`markup` with Word/WPS lists as `<ul>`/`<ol>`, alignment as classes and header rows as `<thead>`."""
    from lxml import html as lxml_html  # the editor's paste: reader-facing workers never load lxml

    if not markup or not looks_like_office_html(markup):
        return markup
    markup = _CONDITIONAL.sub(lambda m: f'<span class="{_MARKER_CLASS}">{m.group(1)}</span>', markup)
    markup = _OTHER_CONDITIONAL.sub("", markup)
    if re.search(r"<body[\s>]", markup, re.I):  # the whole clipboard document: only its body counts
        root = lxml_html.document_fromstring(markup).find("body")
        root.tag = "div"
    else:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    _build_lists(root)
    _align(root)
    _header_rows(root)
    inner = (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner
