"""Personal data: finding it in text, masking it, and the check run on every published file.

A published file must not contain an unmasked ID number, a mobile phone number, or the full
name of a person from the ledgers. Masked forms (110101********1234, 138****5678, 张*) pass.

- ID numbers are found by their shape (18 characters with a real birth date, or the old
  15-digit form), whether or not the check digit is right: a mistyped ID is still someone's.
- Mobile numbers with or without a country code (+86, 0086, (+86)), in one piece or split by
  spaces, hyphens or dashes in the usual groups (138 1234 5678, +86-138-1234-5678,
  110101 19900307 1234); full-width digits too.
- Names of any length from the ledgers' name columns (王芳, 阿不都热合曼, 布沙热木·依明);
  placeholders written in a name column ("--", "无", "nan", "不详") are not names. The clean
  tables hold no name in clear, only keyed hashes (ingest/pseudonym.py): `NameIndex` finds
  names by hashing the text's candidate substrings (NameKey: first character, length, hash).

The same patterns serve the check (`scan_text`, `scan_file`) and the masking of free text at
ingest (`redact`): a phone inside a unit's name becomes 138****5678 instead of blocking the
report that shows the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pandas as pd

from .config import NOTEBOOKS_DIR, PACKAGE_DIR

# Characters that may split the digits of a number as people write it.
_SEP = r"[ \-\u00a0\u3000\u2010-\u2015]"
# Full-width digits, plus, spaces and hyphens made ASCII (one character for one: positions keep).
_WIDTH = str.maketrans("０１２３４５６７８９＋－（）Ｘｘ", "0123456789+-()Xx")
_DATE8 = re.compile(r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")
_DATE6 = re.compile(r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$")
# Numbers are found as people write them: in one piece, or split in the usual groups
# (ID 6-8-4 or 6-4-4-4, old ID 6-6-3, mobile 3-4-4). Arbitrary splits are not joined: in a
# table's text, "15 197 12 0 722" is five figures, not a phone number. The digits of a
# fraction are not a number of their own: 0.169754830313469 holds no 15-digit ID.
_NOT_AFTER = r"(?<![0-9A-Za-z])(?<![0-9][.])"
_ID18 = re.compile(
    rf"{_NOT_AFTER}[1-9][0-9]{{5}}{_SEP}?(?:[0-9]{{8}}|[0-9]{{4}}{_SEP}?[0-9]{{4}})"
    rf"{_SEP}?[0-9]{{3}}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(rf"{_NOT_AFTER}[1-9][0-9]{{5}}{_SEP}?[0-9]{{6}}{_SEP}?[0-9]{{3}}(?![0-9A-Za-z])")
_PHONE = re.compile(
    rf"{_NOT_AFTER}(?:[(]?(?:\+|00){_SEP}*86[)]?{_SEP}*|86{_SEP}+)?"
    rf"1[3-9][0-9]{_SEP}?[0-9]{{4}}{_SEP}?[0-9]{{4}}(?![0-9A-Za-z])"
)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LETTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")
# What people write in a name column when there is no name: never searched for as a name.
PLACEHOLDERS = frozenset(
    {
        "无",
        "空",
        "略",
        "缺",
        "nan",
        "none",
        "null",
        "na",
        "n/a",
        "不详",
        "暂无",
        "待定",
        "待补",
        "待填",
        "未知",
        "未填",
        "未定",
        "无名",
        "匿名",
        "同上",
        "见上",
        "见附件",
    }
)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def mask_id(digits: str) -> str:
    """110105********002X: the first six and last four characters kept."""
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_phone(digits: str) -> str:
    """138****5678: the last eleven digits, the middle four hidden."""
    number = digits[-11:]
    return number[:3] + "****" + number[-4:]


def mask_name(name: str) -> str:
    """张* / 阿*****: the first character, and as many stars as characters hidden."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask_cell(kind: str, text: str) -> str:
    """A cell of a personal column (its text as the reader normalised it: an ID's characters, a
    phone's digits, a name stripped), masked for any message, table or report. The masking
    rules of the product are here and above; the readers only normalise the cell first.

        >>> mask_cell("id_card", "11010519491231002X"), mask_cell("id_card", "12345"), mask_cell("id_card", "123")
        ('110105********002X', '*2345', '***')
        >>> mask_cell("phone", "13812345678"), mask_cell("phone", "04711234567"), mask_cell("phone", "12345")
        ('138****5678', '047****4567', '*****')
        >>> mask_cell("name", "欧阳娜娜"), mask_cell("name", "")
        ('欧***', '')
    """
    if not text:
        return ""
    if kind == "id_card":
        if len(text) == 18:
            return text[:6] + "*" * 8 + text[14:]
        return "*" * len(text) if len(text) <= 4 else "*" * (len(text) - 4) + text[-4:]
    if kind == "phone":
        return text[:3] + "*" * (len(text) - 7) + text[-4:] if len(text) >= 7 else "*" * len(text)
    return mask_name(text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # 身份证号 / 身份证号（15位） / 手机号 / 姓名
    masked: str


def _number_spans(text: str, old_ids: bool = True) -> list[Span]:
    wide = text.translate(_WIDTH)
    spans: list[Span] = []
    for m in _ID18.finditer(wide):
        d = _digits(m.group()).upper()
        if _DATE8.match(d[6:14]):
            spans.append(Span(m.start(), m.end(), "身份证号", mask_id(d)))
    for m in _ID15.finditer(wide) if old_ids else ():
        d = _digits(m.group())
        if _DATE6.match(d[6:12]):
            spans.append(Span(m.start(), m.end(), "身份证号（15位）", mask_id(d)))
    for m in _PHONE.finditer(wide):
        spans.append(Span(m.start(), m.end(), "手机号", mask_phone(_digits(m.group()))))
    return spans


def is_name(value: object) -> bool:
    """A value of a name column that is a person's name, not a placeholder such as "--" or "无"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    text = str(value).strip()
    return len(_LETTER.findall(text)) >= 2 and text.lower() not in PLACEHOLDERS


@dataclass(frozen=True)
class NameKey:
    """A full name as the store keeps it: its first character, its length and its keyed hash
    (secret.keyed_hash), the same three things a masked name (张*) and its key column hold."""

    first: str
    length: int
    digest: str


def name_key(name: str) -> NameKey:
    """The NameKey of a full name (as written in a name column, spaces at the ends dropped)."""
    from .secret import keyed_hash

    name = str(name).strip()
    return NameKey(name[:1], len(name), keyed_hash("name", name))


class NameIndex:
    """Finds the names of a set in text without holding them in clear: each name is kept as its
    NameKey; every substring of the text that starts with a name's first character and has a
    name's length is hashed and looked up. Han names of any length, and names with · or Latin
    letters (布沙热木·依明), are found wherever they stand.

    Built from NameKeys (the store) or from names in clear (hashed at once):

        >>> index = NameIndex({"王小明"})
        >>> [s.masked for s in index.spans("受益人王小明，已核实")]
        ['王**']
    """

    def __init__(self, names: Iterable[str | NameKey] = ()):
        keys = {n if isinstance(n, NameKey) else name_key(n) for n in names if isinstance(n, NameKey) or is_name(n)}
        self.keys = frozenset(keys)
        self._digests = {k.digest for k in keys}
        lengths: dict[str, set[int]] = {}
        for k in keys:
            lengths.setdefault(k.first, set()).add(k.length)
        self._lengths = {first: sorted(ns, reverse=True) for first, ns in lengths.items()}
        self._firsts = re.compile("[" + "".join(re.escape(c) for c in sorted(lengths)) + "]") if lengths else None

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def spans(self, text: str) -> list[Span]:
        from .secret import keyed_hash

        out: list[Span] = []
        if self._firsts is None:
            return out
        seen: dict[str, bool] = {}
        for m in self._firsts.finditer(text):
            i = m.start()
            for n in self._lengths[m.group()]:
                candidate = text[i : i + n]
                if len(candidate) < n:
                    continue
                hit = seen.get(candidate)
                if hit is None:
                    hit = seen[candidate] = keyed_hash("name", candidate) in self._digests
                if hit:
                    out.append(Span(i, i + n, "姓名", mask_name(candidate)))
        return out


def find(text: str, names: NameIndex | None = None, old_ids: bool = True) -> list[Span]:
    """Every ID number, mobile number and listed name in the text, overlaps merged (longest first).
    `old_ids`: also 15-digit IDs (old registration numbers have the same shape)."""
    spans = _number_spans(text, old_ids) + (names.spans(text) if names else [])
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def redact(text: str, names: NameIndex | None = None) -> tuple[str, list[Span]]:
    """The text with every ID number, mobile number and listed name masked, and what was masked.
    15-digit numbers are left as they are: at ingest they are far more often old business
    registration numbers than old IDs (the check on published files still looks for them)."""
    spans = find(text, names, old_ids=False)
    if not spans:
        return text, []
    parts, last = [], 0
    for s in spans:
        parts += [text[last : s.start], s.masked]
        last = s.end
    parts.append(text[last:])
    return "".join(parts), spans


def _strings(source: str) -> list[str]:
    """The string literals of a Python module that can reach a reader (docstrings and comments
    cannot: a name in an example there exempts nothing)."""
    import ast

    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def _wording_sources() -> list[Path]:
    """The files the product's own wording is taken from."""
    files = [p for p in sorted(PACKAGE_DIR.rglob("*")) if p.suffix in (".py", ".yml", ".csv", ".j2")]
    return files + sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _collect_wording(files: list[Path]) -> str:
    texts = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        texts += _strings(text) if path.suffix == ".py" else [text]
    return "|".join(run for text in texts for run in _HAN_RUN.findall(text))


@lru_cache(maxsize=1)
def _own_wording() -> str:
    """The product's own words, which its documents print (the strings of the library, its
    templates and reference data, the notebooks): every run of Han characters, joined by |.

    Reading them means parsing every module (three seconds), which each process that checks a
    document would pay: the result is kept beside the venv's packages (config.BUILD_DIR, not
    the cache a run is given) under a digest of the files' names, sizes and times, and made
    again whenever one of them changes."""
    import hashlib

    from .config import OWN_WORDING_DIR
    from .files import atomic_write

    files = _wording_sources()
    digest = hashlib.sha256()
    for path in files:
        st = path.stat()
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    cached = OWN_WORDING_DIR / f"{digest.hexdigest()[:24]}.txt"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    wording = _collect_wording(files)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("[!.]*.txt"):  # the wording of files since changed
            if old != cached:
                old.unlink(missing_ok=True)
        atomic_write(cached, lambda tmp: tmp.write_text(wording, encoding="utf-8"))
    except OSError:
        pass  # a read-only cache folder only costs the half second next time
    return wording


def is_own_wording(name: str) -> bool:
    """True when the name is part of the product's own wording (于平 in 低于平均值)."""
    return bool(_HAN_ONLY.fullmatch(name)) and name in _own_wording()


def name_columns(key: str) -> list[str]:
    """The name columns of a ledger (type name in ledgers.yml)."""
    from .ledgers import ledger_specs

    spec = ledger_specs().get(key)
    return [c.name for c in spec.columns if c.type == "name"] if spec else []


def _table_names(key: str, table: pd.DataFrame) -> set[NameKey]:
    """The NameKeys of a table's name columns: from the names in clear (during ingestion), or
    from their key and masked columns (the store: the masked name keeps the first character
    and the length)."""
    out: set[NameKey] = set()
    for col in name_columns(key):
        if col in table.columns:
            out.update(name_key(n) for n in table[col].dropna().unique() if is_name(n))
        elif f"{col}_key" in table.columns and f"{col}_masked" in table.columns:
            pairs = table[[f"{col}_key", f"{col}_masked"]].dropna().drop_duplicates()
            out.update(
                NameKey(str(shown)[:1], len(str(shown)), digest) for digest, shown in pairs.itertuples(index=False)
            )
    return out


def personal_names(tables: dict[str, pd.DataFrame]) -> set[NameKey]:
    """The full names of the ledgers' persons that a report could leak, as NameKeys (for
    NameIndex, scan_text and scan_file): read from the clean tables, which hold no name in clear.

    A name that is also part of the product's own wording (于平 in 低于平均值) cannot be told
    from that text, so it is not searched for: the check would fail every report on an
    ordinary word. Nothing else is exempt.
    """
    names: set[NameKey] = set()
    for key, table in tables.items():
        names |= _table_names(key, table)
    own = _own_wording()
    return names - {name_key(own[s.start : s.end]) for s in NameIndex(names).spans(own)}


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str
    shown: str  # masked: a finding never repeats what it found

    def __str__(self) -> str:
        return f"{self.file}：发现未脱敏的{self.kind}（{self.shown}）"


def scan_text(text: str, names: Iterable[str | NameKey] | NameIndex = frozenset(), source: str = "") -> list[Finding]:
    """Unmasked ID numbers, mobile numbers and listed names in the text (names: in clear, as
    NameKeys from personal_names, or a NameIndex). Findings are masked.

        >>> [str(f) for f in scan_text("联系人 13812345678", source="报告.html")]
        ['报告.html：发现未脱敏的手机号（138****5678）']
    """
    index = names if isinstance(names, NameIndex) else NameIndex(names)
    found = {(s.kind, s.masked) for s in find(text, index)}
    order = {"身份证号": 0, "身份证号（15位）": 1, "手机号": 2, "姓名": 3}
    return [Finding(source, kind, shown) for kind, shown in sorted(found, key=lambda f: (order[f[0]], f[1]))]


def file_text(path: Path) -> str:
    """Everything a reader of the file can see or extract: ipynb and HTML as text (chart data
    included: every chart carries its labels as text), xlsx cell values and sheet names, docx
    text, PDF text and metadata, and the file's own name."""
    suffix = path.suffix.lower()
    parts = [path.name]
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        parts += [ws.title for ws in wb.worksheets]
        parts += ["\t".join(_cell(v) for v in row) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)]
        parts += [str(v) for v in vars(wb.properties).values() if v]
    elif suffix == ".docx":
        parts += _docx_text(path)
    elif suffix == ".pdf":
        from .pdf_reader import pdf_text

        parts.append(pdf_text(path))
    else:
        parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def _cell(value: object) -> str:
    """A spreadsheet cell as a reader sees it: a fraction's endless digits are not a number
    anyone typed (0.8613306487964659 is shown 0.86, and is no ID number)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6f}".rstrip("0")
    return str(value)


def _docx_text(path: Path) -> list[str]:
    """A Word file's text as a reader meets it: each paragraph and each table cell on its own
    (runs joined, cells apart, so that figures of two cells never run together), headers,
    footers and document properties."""
    import docx

    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]

    def tables(items) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            out.extend(p.text for p in part.paragraphs)
    props = document.core_properties
    out += [str(v) for v in (props.title, props.author, props.subject, props.keywords, props.comments) if v]
    return out


def scan_file(path: Path, names: Iterable[str | NameKey] | NameIndex = frozenset()) -> list[Finding]:
    """scan_text over everything a reader of the file can see (file_text): the check every
    published file passes (reports/batch.py)."""
    return scan_text(file_text(path), names, source=Path(path).name)
