"""Read the HTML view of a Document the way a reader sees it (for the render tests)."""

from __future__ import annotations

from html.parser import HTMLParser

from ehrnlp import Code, Document, Entity

_VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed", "source", "track", "wbr"}


class ViewDom(HTMLParser):
    """What a reader of the page sees: the note text, each entity's highlighted text (by
    ``data-eid``), the PHI marks, badges, cues, and every element and script in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.in_note = 0
        self.note: list[str] = []
        self.ent_text: dict[str, list[str]] = {}
        self.ent_attrs: dict[str, dict[str, str]] = {}
        self.phi: list[str] = []
        self.cues: list[str] = []
        self.badges: dict[str, list[str]] = {}
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.rows: list[str] = []
        self._last_eid: str | None = None
        self._pre_start = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self._pre_start = False
        self.tags.append(tag)
        if tag in _VOID:
            return
        self.stack.append((tag, a))
        if tag == "pre" and "note" in a.get("class", ""):
            self.in_note += 1
            self._pre_start = True
        if tag == "mark" and "data-eid" in a:
            self.ent_attrs.setdefault(a["data-eid"], a)
            self._last_eid = a["data-eid"]
        if tag == "tr" and "data-row" in a:
            self.rows.append(a["data-row"])

    def handle_endtag(self, tag):
        while self.stack:
            t, a = self.stack.pop()
            if t == "pre" and "note" in a.get("class", ""):
                self.in_note -= 1
            if t == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if tags and tags[-1] == "script":
            self.scripts.append(data)
            return
        if tags and tags[-1] == "style":
            self.styles.append(data)
            return
        if not self.in_note:
            return
        if self._pre_start:  # HTML drops one newline right after <pre> (browsers do; so does this)
            self._pre_start = False
            data = data[1:] if data.startswith("\n") else data
        if "sup" in tags:  # a badge, after the entity: not note text
            self.badges.setdefault(self._last_eid or "", []).append(data)
            return
        self.note.append(data)
        for t, a in self.stack:
            if t == "mark" and "data-eid" in a:
                self.ent_text.setdefault(a["data-eid"], []).append(data)
            if t == "span" and "phi" in a.get("class", "").split():
                self.phi.append(data)
            if t == "span" and "cue" in a.get("class", "").split():
                self.cues.append(data)


def dom(page: str) -> ViewDom:
    p = ViewDom()
    p.feed(page)
    p.close()
    return p


def check_view(page: str, doc: Document) -> ViewDom:
    """The page shows ``doc.text`` exactly, and each entity's highlighted parts join to its text."""
    d = dom(page)
    assert "".join(d.note) == doc.text
    eids: dict[tuple[int, int, str], str] = {}
    for e in doc.entities:
        eids.setdefault((e.start, e.end, e.label), str(len(eids)))
    for (start, end, label), eid in eids.items():
        assert "".join(d.ent_text.get(eid, [])) == doc.text[start:end], (label, start, end)
        attrs = d.ent_attrs[eid]
        assert (attrs["data-label"], int(attrs["data-start"]), int(attrs["data-end"])) == (label, start, end)
    assert set(d.ent_text) == set(eids.values())
    assert sorted(d.rows, key=int) == sorted(eids.values(), key=int)
    return d


def ent(text: str, sub: str, label: str, nth: int = 0, **kw) -> Entity:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Entity(label, start, start + len(sub), sub, **kw)


INJECTION = ('<script>alert(1)</script> </style><style>body{display:none}</style> '
             '"><img src=x onerror=alert(2)> <!-- --> &amp; </pre></mark><b>bold</b> chest pain')


def injection_doc() -> Document:
    text = INJECTION
    return Document(
        text=text, id='"><script>alert(3)</script>',
        entities=(ent(text, "chest pain", "SYMPTOM"), ent(text, "alert(1)", 'X"><script>y</script>'),
                  ent(text, "onerror=alert(2)", "PROBLEM", codes=(Code("</style>", "<b>", '"><script>', 0.5, "</script>", "x"),))),
    )
