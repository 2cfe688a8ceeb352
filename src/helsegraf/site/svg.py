"""Small server-side SVG pictures for the site: bar charts and a resource's neighbourhood. No JavaScript; every
text is escaped, and each picture carries a title and a description for screen readers."""

from __future__ import annotations

import hashlib
import math
from html import escape


def _frame(width: int, height: int, title: str, desc: str, body: str) -> str:
    # Ids unique per picture, so that a page with two charts still has unique ids.
    ident = "svg-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{ident}-t {ident}-d"><title id="{ident}-t">{escape(title)}</title>'
            f'<desc id="{ident}-d">{escape(desc)}</desc>{body}</svg>')


def bar_chart(rows: list[tuple[str, int]], title: str, width: int = 640) -> str:
    """Horizontal bars, one per (label, value), longest bar = the largest value."""
    if not rows:
        return ""
    bar_h, gap, label_w = 22, 6, 250
    height = len(rows) * (bar_h + gap) + gap
    top = max(v for _, v in rows) or 1
    parts = []
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1, int((width - label_w - 50) * value / top))
        short = label if len(label) <= 38 else label[:37] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1a1a1a">{escape(short)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#0b5394"/>'
                     f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12" fill="#1a1a1a">{value}</text>')
    desc = "; ".join(f"{label}: {value}" for label, value in rows)
    return _frame(width, height, title, desc, "".join(parts))


def neighbourhood(center: str, neighbours: list[tuple[str, str]], title: str, size: int = 420) -> str:
    """The resource in the middle and up to twelve (relation, label) neighbours around it."""
    neighbours = neighbours[:12]
    c = size / 2
    r = size / 2 - 70
    parts = []
    for i, (rel, label) in enumerate(neighbours):
        a = 2 * math.pi * i / max(1, len(neighbours)) - math.pi / 2
        x, y = c + r * math.cos(a), c + r * math.sin(a)
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<line x1="{c:.0f}" y1="{c:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="#8a8a8a"/>'
                     f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" fill="#0b5394"/>'
                     f'<text x="{x:.0f}" y="{y + 18:.0f}" text-anchor="middle" font-size="11" fill="#1a1a1a">{escape(short)}</text>'
                     f'<text x="{x:.0f}" y="{y - 9:.0f}" text-anchor="middle" font-size="10" fill="#555555">{escape(rel)}</text>')
    centre = center if len(center) <= 30 else center[:29] + "…"
    parts.append(f'<circle cx="{c:.0f}" cy="{c:.0f}" r="9" fill="#1a1a1a"/>'
                 f'<text x="{c:.0f}" y="{c + 26:.0f}" text-anchor="middle" font-size="13" font-weight="bold" fill="#1a1a1a">{escape(centre)}</text>')
    desc = f"{center}: " + "; ".join(f"{rel} {label}" for rel, label in neighbours)
    return _frame(size, size, title, desc, "".join(parts))
