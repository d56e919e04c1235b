"""A self-contained HTML view of a :class:`~ehrnlp.model.Document`.

    html = ehrnlp.render(doc)          # or doc.to_html(); Jupyter shows doc (_repr_html_)
    ehrnlp extract note.txt --format html > note.html

The page shows the note (``doc.text``: the de-identified text when de-identification ran)
with every entity highlighted by label, its assertion flags as badges, the trigger that set
each flag (the *cue*, e.g. "denies") underlined, PHI masks marked, and a side table listing
each entity with its offsets, section, flags and their cues, codes (system, code, display,
the vocabulary term it matched, how, and the score) and linked attributes (a drug's
dose/route/frequency, an allergen's reaction/severity). Hovering an entity shows its codes
and lights up its linked attributes; clicking it selects its row in the table.

The page is one string with inline CSS and a few lines of inline JavaScript: no network,
no CDN, no font. Every piece of note text, label, code and id is HTML-escaped, and no data
is placed inside the ``<script>`` or ``<style>`` elements, so a note containing
``<script>``, ``</style>`` or attribute syntax renders as inert text.

Entities may overlap; the view nests elements where spans nest and splits a span where two
cross, so every element of one entity carries the same ``data-eid`` and their texts joined
are the entity's text (the render test checks this in a browser's DOM).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from .terminology import SYSTEM_NAMES

if TYPE_CHECKING:  # the model imports this module (Document.to_html): no import back at run time
    from .model import Assertion, Code, Document, Entity

__all__ = ["render", "LABEL_COLOURS", "FLAG_BADGES"]

#: background colour of each clinical label (pastel, distinct), in the order of ``model.CLINICAL_LABELS``
LABEL_COLOURS: dict[str, str] = {
    "SYMPTOM": "#fde0c5",
    "PROBLEM": "#f9c6cf",
    "MEDICATION": "#c6e2ff",
    "DOSE": "#d9ecd0",
    "ROUTE": "#e3f2c1",
    "FREQUENCY": "#c9efe6",
    "DURATION": "#e6e0f8",
    "ALLERGEN": "#ffd6a5",
    "REACTION": "#f4c2e8",
    "SEVERITY": "#eedcc9",
}
_OTHER_COLOUR = "#e4e4e4"

#: assertion flag -> (badge text, meaning)
FLAG_BADGES: dict[str, tuple[str, str]] = {
    "negated": ("NEG", "negated: the note says it is absent"),
    "uncertain": ("UNC", "uncertain: possible, suspected, rule out"),
    "hypothetical": ("HYP", "hypothetical: may happen (return if ...)"),
    "historical": ("HIST", "historical: in the past"),
    "resolved": ("RES", "resolved: present before, gone now"),
    "family": ("FAM", "family: about a relative, not the patient"),
}

_CSS = """
*{box-sizing:border-box}
&{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#fafafa}
header{padding:12px 20px;background:#24344d;color:#fff}
header h1{font-size:18px;margin:0 0 4px 0}
header .meta{font-size:12px;opacity:.85}
.wrap{display:flex;gap:16px;padding:16px 20px;align-items:flex-start;flex-wrap:wrap}
.pane{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 14px}
.notepane{flex:1 1 520px;min-width:320px}
.sidepane{flex:1 1 520px;min-width:320px;overflow-x:auto}
pre.note{white-space:pre-wrap;word-wrap:break-word;font:13px/1.9 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0}
mark.ent{border-radius:3px;padding:1px 0;color:inherit;border-bottom:2px solid rgba(0,0,0,.25);cursor:pointer}
mark.ent.flagged{border-bottom:2px dashed #b00020}
mark.ent.linked,mark.ent.active{outline:2px solid #24344d;outline-offset:1px}
span.phi{background:#333;color:#fff;border-radius:3px;padding:0 2px}
span.cue{text-decoration:underline wavy #b00020;text-underline-offset:3px}
span.cue.section{text-decoration:underline dotted #555}
span.nka{border-bottom:2px solid #2e7d32}
sup.badge{font:bold 9px/1 system-ui,sans-serif;color:#fff;background:#b00020;border-radius:3px;padding:2px 3px;margin-left:1px;vertical-align:super;user-select:none}
sup.badge.b-historical{background:#6d4c41}sup.badge.b-family{background:#5e35b1}sup.badge.b-hypothetical{background:#00796b}sup.badge.b-uncertain{background:#ef6c00}
.legend{display:flex;flex-wrap:wrap;gap:6px 12px;font-size:12px;margin:0 0 10px 0;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:4px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;border:1px solid rgba(0,0,0,.2)}
table{border-collapse:collapse;font-size:12px;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
tr.sel{background:#fff6c8}
td.code{min-width:220px}td.nowrap{white-space:nowrap}
.muted{color:#777}
h2{font-size:14px;margin:4px 0 8px 0}
"""

# no note data goes into the script: it reads data-* attributes of the escaped markup; VIEW_ID
# (hex digits only) scopes it to its own view when a notebook shows several
_JS = """
(function(){
  var root=document.getElementById('VIEW_ID')||document;
  function els(sel){return Array.prototype.slice.call(root.querySelectorAll(sel));}
  function mark(id,cls,on){els('[data-eid="'+id+'"]').forEach(function(m){m.classList.toggle(cls,on);});}
  els('mark.ent').forEach(function(m){
    var id=m.getAttribute('data-eid'),links=(m.getAttribute('data-links')||'').split(' ').filter(Boolean);
    m.addEventListener('mouseenter',function(){mark(id,'active',true);links.forEach(function(l){mark(l,'linked',true);});});
    m.addEventListener('mouseleave',function(){mark(id,'active',false);links.forEach(function(l){mark(l,'linked',false);});});
    m.addEventListener('click',function(){
      els('tr.sel').forEach(function(r){r.classList.remove('sel');});
      var row=root.querySelector('tr[data-row="'+id+'"]');
      if(row){row.classList.add('sel');row.scrollIntoView({block:'nearest'});}
    });
  });
})();
"""


def _scoped(css: str, scope: str = ".ehrnlp-view") -> str:
    """``css`` with every selector inside ``scope`` (``&`` is the scope itself), so that a
    view shown inside a notebook styles only itself."""
    rules = []
    for rule in css.split("}"):
        if "{" not in rule:
            continue
        selectors, body = rule.split("{", 1)
        scoped = ",".join(scope if sel.strip() == "&" else f"{scope} {sel.strip()}" for sel in selectors.split(","))
        rules.append(f"{scoped}{{{body}}}")
    return "".join(rules)


_STYLE = _scoped(_CSS)


def _cls(label: str) -> str:
    """A CSS-safe class suffix for a label (labels of custom stages are arbitrary text)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", label)


def _system_name(system: str) -> str:
    return SYSTEM_NAMES.get(system, system.rstrip("/").rsplit("/", 1)[-1] or system)


def _code_line(c: Code) -> str:
    why = []
    if c.term is not None:
        why.append(f"matched {c.term!r}")
    if c.method is not None:
        why.append(c.method)
    why.append(f"score {c.score:.2f}")
    return f"{_system_name(c.system)} {c.code} {c.display} ({', '.join(why)})"


def _flags(a: Assertion) -> list[str]:
    return [f for f in a.FLAGS if getattr(a, f)]


def _cue_text(a: Assertion, flag: str) -> str:
    cue = a.cue(flag)
    if cue is None:
        return flag
    where = "section" if cue.source == "section" else "cue"
    return f"{flag}: {where} {cue.text!r} at {cue.start}-{cue.end}"


def _entity_title(e: Entity) -> str:
    lines = [f"{e.label} [{e.start}-{e.end}] confidence {e.confidence:.2f}"]
    lines += [_cue_text(e.assertion, f) for f in _flags(e.assertion)]
    if e.section:
        lines.append(f"section: {e.section}")
    lines += [_code_line(c) for c in e.codes[:5]]
    lines += [f"-> {a.label}: {a.text}" for a in e.attributes]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    order: int  # a unique tie-breaker, stable across segments
    open_tag: str
    close_tag: str = "</span>"
    after: str = ""  # markup after the span's last part (badges)


def _nest(text: str, marks: Iterable[_Mark]) -> str:
    """``text`` escaped, with each mark's tags around its span: nested where spans nest,
    split into parts (each with the same tags) where two spans cross."""
    ms = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in ms), *(m.end for m in ms)})
    ms.sort(key=lambda m: (m.start, -m.end, m.order))
    out: list[str] = []
    stack: list[_Mark] = []
    active: list[_Mark] = []  # marks covering the current segment, outer to inner (the sort order)
    nxt = 0
    for a, b in zip(cuts, cuts[1:]):
        while nxt < len(ms) and ms[nxt].start <= a:
            active.append(ms[nxt])
            nxt += 1
        active = [m for m in active if m.end >= b]
        want = active
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        while len(stack) > keep:
            m = stack.pop()
            out.append(m.close_tag)
            if m.end <= a:
                out.append(m.after)
        for m in want[keep:]:
            out.append(m.open_tag)
            stack.append(m)
        out.append(escape(text[a:b], quote=False))
    while stack:
        m = stack.pop()
        out.append(m.close_tag + m.after)
    return "".join(out)


def _note_markup(doc: Document, eids: dict[tuple[int, int, str], int]) -> str:
    marks: list[_Mark] = []
    order = 0
    for p_i, p in enumerate(doc.phi):
        order += 1
        title = f"PHI {p.label} (replaced; source offsets {p.orig_start}-{p.orig_end})"
        marks.append(_Mark(p.start, p.end, order,
                           f'<span class="phi" data-phi="{p_i}" data-label="{escape(p.label)}" title="{escape(title)}">'))
    if doc.nka is not None:
        order += 1
        marks.append(_Mark(doc.nka.start, doc.nka.end, order,
                           f'<span class="nka" title="{escape("no known allergies (" + doc.nka.kind + ")")}">'))
    cues: dict[tuple[int, int], set[str]] = {}
    sources: dict[tuple[int, int], str] = {}
    for e in doc.entities:
        for c in e.assertion.cues:
            if c.end > c.start:
                cues.setdefault((c.start, c.end), set()).add(c.flag)
                sources[(c.start, c.end)] = c.source
    for (s, t), cue_flags in sorted(cues.items()):
        order += 1
        cls = "cue section" if sources[(s, t)] == "section" else "cue"
        names = " ".join(sorted(cue_flags))
        marks.append(_Mark(s, t, order, f'<span class="{cls}" data-cue="{escape(names)}" title="{escape("cue: " + names)}">'))
    for e in doc.entities:
        i = eids[(e.start, e.end, e.label)]
        flags = _flags(e.assertion)
        links = " ".join(str(eids[(a.start, a.end, a.label)]) for a in e.attributes if (a.start, a.end, a.label) in eids)
        cls = f"ent l-{_cls(e.label)}" + (" flagged" if flags else "")
        attrs = (f'class="{cls}" data-eid="{i}" data-label="{escape(e.label)}" data-start="{e.start}" '
                 f'data-end="{e.end}" title="{escape(_entity_title(e))}"')
        if links:
            attrs += f' data-links="{links}"'
        if flags:
            attrs += f' data-flags="{" ".join(flags)}"'
        badges = "".join(
            f'<sup class="badge b-{f}" aria-label="{escape(FLAG_BADGES[f][1])}" title="{escape(_cue_text(e.assertion, f))}">'
            f"{FLAG_BADGES[f][0]}</sup>" for f in flags)
        order += 1
        marks.append(_Mark(e.start, e.end, order, f"<mark {attrs}>", "</mark>", badges))
    return _nest(doc.text, marks)


def _table(doc: Document, eids: dict[tuple[int, int, str], int]) -> str:
    rows = []
    for e in doc.entities:
        i = eids[(e.start, e.end, e.label)]
        flags = _flags(e.assertion)
        assertion = "<br>".join(escape(_cue_text(e.assertion, f)) for f in flags) or '<span class="muted">asserted</span>'
        codes = "".join(f"<div>{escape(_code_line(c))}</div>" for c in e.codes) or '<span class="muted">-</span>'
        attrs = "<br>".join(f"{escape(a.label)}: {escape(a.text)}" for a in e.attributes)
        quals = [f"{q}={getattr(e, q)}" for q in e.QUALIFIERS if getattr(e, q) is not None]
        if e.dosage is not None:
            quals.append(f"sig={e.dosage.text!r}")
        rows.append(
            f'<tr data-row="{i}"><td>{i}</td><td class="nowrap"><span class="swatch l-{_cls(e.label)}"></span> {escape(e.label)}</td>'
            f"<td>{escape(e.text)}</td><td class=\"nowrap\">{e.start}-{e.end}</td><td>{escape(e.section or '')}</td>"
            f"<td>{assertion}</td><td class=\"code\">{codes}</td><td>{attrs}{'<br>' if attrs and quals else ''}"
            f"{escape('; '.join(quals))}</td></tr>"
        )
    head = ("<tr><th>#</th><th>label</th><th>text</th><th>offsets</th><th>section</th><th>assertion (cue)</th>"
            "<th>codes (matched term, method, score)</th><th>attributes</th></tr>")
    return f'<table class="entities"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _legend(labels: Iterable[str]) -> str:
    items = [f'<li><span class="swatch l-{_cls(lab)}"></span>{escape(lab)}</li>' for lab in labels]
    items.append('<li><span class="phi">[PHI]</span>de-identified PHI</li>')
    items += [f'<li><sup class="badge b-{f}">{b}</sup>{escape(m)}</li>' for f, (b, m) in FLAG_BADGES.items()]
    items.append('<li><span class="cue">cue</span>the trigger of a flag</li>')
    items.append('<li><span class="cue section">heading</span>a flag set by the section</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def render(doc: Document, *, title: str | None = None, full_page: bool = True) -> str:
    """The HTML view of ``doc``: a complete page (``full_page=True``) or a fragment for
    embedding (Jupyter). Self-contained (inline CSS and JS, no network); all text escaped."""
    # duck-typed: importing ehrnlp.model here would make an import cycle (model -> html)
    if not all(hasattr(doc, a) for a in ("text", "entities", "phi", "nka", "to_dict")) or not isinstance(doc.text, str):
        raise TypeError(f"render() needs an ehrnlp Document, got {type(doc).__name__}")
    # (the newline after <pre> is dropped by HTML parsers: a note starting with one keeps it)
    eids: dict[tuple[int, int, str], int] = {}
    for e in doc.entities:
        eids.setdefault((e.start, e.end, e.label), len(eids))
    # a deterministic id of this view (the same document renders the same page)
    key = "\x00".join([doc.text, *(f"{e.start}:{e.end}:{e.label}" for e in doc.entities)])
    view_id = "ehrnlp-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    labels = list(LABEL_COLOURS) + sorted({e.label for e in doc.entities} - set(LABEL_COLOURS))
    colours = _scoped("".join(f".l-{_cls(lab)}{{background:{LABEL_COLOURS.get(lab, _OTHER_COLOUR)}}}" for lab in labels))
    heading = title if title is not None else f"ehrnlp: {doc.id}" if doc.id else "ehrnlp document"
    meta = [f"{len(doc.entities)} entities"]
    if doc.deidentified:
        meta.append(f"de-identified: {len(doc.phi)} PHI span(s) replaced")
    if doc.allergy_status:
        meta.append(f"allergy status: {doc.allergy_status}")
    if doc.patient:
        meta.append(f"patient: {doc.patient}")
    body = (
        f'<div class="ehrnlp-view" id="{view_id}"><style>{_STYLE}{colours}</style>'
        f"<header><h1>{escape(heading)}</h1><div class=\"meta\">{escape(' · '.join(meta))}</div></header>"
        f'<div class="wrap"><section class="pane notepane"><h2>Note</h2>{_legend(labels)}'
        f'<pre class="note">\n{_note_markup(doc, eids)}</pre></section>'
        f'<section class="pane sidepane"><h2>Entities</h2>{_table(doc, eids)}</section></div>'
        f"<script>{_JS.replace('VIEW_ID', view_id)}</script></div>"
    )
    if not full_page:
        return body
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'\">"
            f'<title>{escape(heading)}</title></head><body style="margin:0">{body}</body></html>\n')
