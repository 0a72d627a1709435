"""reports/index.html: every period's documents on one page, newest first, with the headline
figures.

When the batch publishes a period it records that period's headline figures (year to date) in
the period's record manifest (`headline_record`); after publishing it writes the page from all
record manifests present (`write_overview`): per period its name, links to the documents that
are in its folder, the figures and when they were made. The page has the reports' look
(report.css, the font subset embedded) and, like them, shows text only escaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd

from .. import config
from ..config import OVERVIEW_PAGE as OVERVIEW, RECORD_DIR_NAME as RECORD_DIR, RECORD_MANIFEST as MANIFEST
from ..files import atomic_write
from ..periods import Period, PeriodError, parse_period
from ..render.html import FONT_MARKER, STYLESHEET, box_tables, embed_font

if TYPE_CHECKING:
    from .notebook_api import PeriodData

KINDS = {".html": "网页", ".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel"}
TEMPLATE = "overview.html.j2"


def headline_record(data: PeriodData) -> dict:
    """The period's headline figures for its manifest, as the reports show them
    (notebook_api.key_figures: 未报送 where a ledger was not handed in): the year-to-date column (its
    name and each row's value), the district, and whether the data are the sample data."""
    from .notebook_api import key_figures

    table = key_figures(data)
    column = table.columns[0]
    rows = {label: _plain(value) for label, value in table[column].items()}
    return {"column": column, "rows": rows, "district": data.district, "sample": data.is_sample}


def _plain(value) -> float | int | str | None:
    """A figure as JSON holds it: a Python number, None for none (NaN included), text as text."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a count read back as 94, not 94.0
    return value


@dataclass
class Document:
    """One document of a period (a stem) in the formats present: [(format, relative link)]."""

    title: str
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PeriodEntry:
    """What the overview shows of one period."""

    period: Period
    made_at: str
    documents: list[Document]
    column: str | None
    figures: list[tuple[str, str]]
    sample: bool
    district: str | None


def _title(path: Path) -> str | None:
    """The <title> of an HTML document (the report's name), read from the file's head."""
    with open(path, encoding="utf-8", errors="replace") as f:
        head = f.read(4096)
    start, end = head.find("<title>"), head.find("</title>")
    if not 0 <= start < end:
        return None
    return unescape(head[start + len("<title>") : end]).strip() or None


def documents(folder: Path, code: str) -> list[Document]:
    """The leader documents in a period's folder, grouped by name (quarterly_report.html and
    .pdf are one document), those with a web page first; each named by its page's title, else
    by its file name without the period (进展情况表_2020Q2.xlsx: 进展情况表)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
    groups: dict[str, list[Path]] = {}
    for path in files:
        groups.setdefault(path.stem, []).append(path)
    found = []
    for stem, paths in groups.items():
        page = next((p for p in paths if p.suffix == ".html"), None)
        title = (_title(page) if page else None) or stem.removesuffix(f"_{code}")
        order = sorted(paths, key=lambda p: list(KINDS).index(p.suffix) if p.suffix in KINDS else len(KINDS))
        found.append(
            (
                page is None,
                Document(
                    title,
                    [
                        (KINDS.get(p.suffix, p.suffix.lstrip(".").upper() or "文件"), quote(f"{code}/{p.name}"))
                        for p in order
                    ],
                ),
            )
        )
    return [doc for _, doc in sorted(found, key=lambda pair: (pair[0], pair[1].title))]


def _when(manifest: dict) -> str:
    """When the period's documents were last made, as 2020-07-05 14:30."""
    times = [r.get("made_at") for r in manifest.get("reports", {}).values() if r.get("made_at")]
    try:
        return datetime.fromisoformat(max(times)).strftime("%Y-%m-%d %H:%M") if times else "—"
    except ValueError:
        return "—"


def period_entries(out_dir: Path) -> list[PeriodEntry]:
    """Every period with a record manifest, newest first (by its last day; of two periods that
    end on the same day, the longer first: 2020H1 before 2020Q2)."""
    from .notebook_api import headline_text

    entries = []
    records = Path(out_dir) / RECORD_DIR
    for path in records.glob(f"*/{MANIFEST}") if records.is_dir() else []:
        try:
            period = parse_period(path.parent.name)
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (PeriodError, OSError, ValueError):
            continue
        figures = manifest.get("headline") or {}
        rows = figures.get("rows") or {}
        entries.append(
            PeriodEntry(
                period=period,
                made_at=_when(manifest),
                documents=documents(Path(out_dir) / period.code, period.code),
                column=figures.get("column"),
                figures=[(label, headline_text(label, value)) for label, value in rows.items()],
                sample=bool(figures.get("sample")),
                district=figures.get("district"),
            )
        )
    return sorted(entries, key=lambda e: (e.period.end, (e.period.end - e.period.start).days), reverse=True)


def has_records(out_dir: Path) -> bool:
    """Whether any period has a record manifest (something for the overview to show)."""
    return any((Path(out_dir) / RECORD_DIR).glob(f"*/{MANIFEST}"))


def render_overview(entries: list[PeriodEntry]) -> str:
    """The overview page (HTML, text escaped, the font subset embedded)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(config.TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined)
    district = next((e.district for e in entries if e.district), config.HOME_DISTRICT)
    page = env.get_template(TEMPLATE).render(
        entries=entries,
        district=district,
        font_marker=FONT_MARKER,
        stylesheet=STYLESHEET.read_text(encoding="utf-8"),
        made_at=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
    )
    return embed_font(box_tables(page))


def write_overview(out_dir: Path) -> Path:
    """Write out_dir/index.html from the record manifests present (atomically: a reader sees
    the old page or the new one)."""
    text = render_overview(period_entries(out_dir))
    target = Path(out_dir) / OVERVIEW
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=0o644)
