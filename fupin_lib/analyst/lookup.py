"""Authorised lookup: the raw ledger rows behind clean rows, for the few who must see a person.

The store stays pseudonymised (person_key, *_masked): counting, de-duplicating and matching
never need a name or an ID number in clear, and a table copied out of the Lab reveals nobody.
When an authorised analyst must know who a row is (to check a list with a department, to
answer a complaint), `find_person` and `source_rows` read the rows from the raw workbooks in
data/raw/ (the only place with clear values), by the file, sheet and row every clean row keeps.

- find_person(query, reason): an ID number (a lowercase x, spaces and full-width digits are
  normalised: '11010519491231002x' and '110105 19491231002X' are the same ID), a name, or a
  person_key; every ledger row of that person (accepted rows; rejected rows are in
  data/processed/被拒绝行.xlsx with the ID masked);
- source_rows(df, reason): the raw rows behind clean rows (a few at a time: `limit`).

Each lookup is written to the access log (ACCESS_LOG: time, user, host, what, reason, rows
returned), the person as a masked form and a keyed hash (the person_key), never in clear; a
lookup that cannot be logged is refused. Who may look up: the people named in the allow-list
file (LOOKUP_USERS, one user name a line) when the office keeps one; without it, whoever can
read the raw ledgers and the project key on this machine. A reason is always required.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
import re
import socket
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import config

LOG_COLUMNS = ["时间", "用户", "主机", "操作", "用途", "查询", "返回行数", "数据目录"]
FIXED = ["表", "台账", "来源文件", "工作表", "行号", "姓名", "身份证号"]
_KEY = re.compile(r"[0-9a-f]{24}")
_ID = re.compile(r"\d{15}|\d{17}[\dX]")


class LookupRefused(PermissionError):
    """A lookup that is not made: no reason, a user not on the allow-list, an unwritable log."""


def _log_path() -> Path:
    return Path(os.environ.get("FUPIN_ACCESS_LOG", config.ACCESS_LOG))


def _users_path() -> Path:
    return Path(os.environ.get("FUPIN_LOOKUP_USERS", config.LOOKUP_USERS))


def user() -> str:
    """Who is asking (the operating system's user name)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name (a container without passwd entry)
        return str(os.getuid()) if hasattr(os, "getuid") else "未知"


def authorise(reason: str | None) -> None:
    """Refuse a lookup without a reason, or by a user not on the allow-list (when there is one)."""
    if reason is None or len(str(reason).strip()) < 2:
        raise LookupRefused(
            '查询个人信息须写明用途：如 find_person(身份证号, reason="核对区人保局报送的就业名单")；'
            "每次查询连同用途记入查询记录"
        )
    users = _users_path()
    if users.exists():
        allowed = {
            line.strip()
            for line in users.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        }
        if user() not in allowed:
            raise LookupRefused(
                f"用户“{user()}”不在授权查询名单（{users.name}）中，不能查看原始台账中的个人信息；"
                "如因工作需要，请联系经济协作办负责数据的同志加入名单"
            )


def log_access(action: str, reason: str | None, query: str, rows: int, raw_dir: Path | str = config.RAW_DIR) -> Path:
    """Append one line to the access log (owner-only file); LookupRefused when it cannot be written."""
    path = _log_path()
    line = io.StringIO()
    row = [
        datetime.now().astimezone().isoformat(timespec="seconds"),
        user(),
        socket.gethostname(),
        action,
        str(reason or "").strip(),
        query,
        rows,
        os.path.relpath(Path(raw_dir).resolve(), config.PROJECT_ROOT),
    ]
    csv.writer(line).writerow(row)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", newline="") as fh:
            if new:
                fh.write("\ufeff")
                csv.writer(fh).writerow(LOG_COLUMNS)
            fh.write(line.getvalue())
    except OSError as exc:
        raise LookupRefused(
            f"查询记录 {path} 无法写入（{exc.strerror or type(exc).__name__}），本次查询不予进行"
        ) from None
    return path


def access_log() -> pd.DataFrame:
    """查询记录：每次查询个人信息的时间、用户、主机、操作、用途、查询（脱敏形式和加密散列）、返回行数和数据目录。"""
    path = _log_path()
    if not path.exists():
        return pd.DataFrame(columns=LOG_COLUMNS)
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str)


# --- reading raw rows ----------------------------------------------------------------------


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    from ..ingest.recognise import blanks_to_none

    return blanks_to_none(frame).dropna(how="all", axis=1)


def raw_rows(locations: pd.DataFrame, raw_dir: Path | str = config.RAW_DIR) -> pd.DataFrame:
    """The raw rows at (table, _file, _sheet, _row), read from the workbooks, one row each: the
    table and ledger, file, sheet, row, the person's name and ID number as written, then every
    cell under its header as the department wrote it."""
    from ..ingest.recognise import detect_ledger
    from ..ingest.reading import read_workbook
    from ..ledgers import header_key, ledger_specs

    specs = ledger_specs()
    raw_dir = Path(raw_dir)
    rows = []
    for file, group in locations.groupby("_file", sort=True):
        sheets = {s.name: s for s in read_workbook(raw_dir / file)}
        for (sheet_name, table), in_sheet in group.groupby(["_sheet", "table"], sort=True):
            raw = sheets.get(sheet_name)
            if raw is None:
                warnings.warn(f"{file} 中已没有工作表“{sheet_name}”：原始台账在清洗后有改动，请重新运行 fupin ingest")
                continue
            frame = _prepared(raw.frame)
            header = detect_ledger(sheet_name, frame)
            if header is None:
                header_cells = [f"第{j + 1}列" for j in range(frame.shape[1])]
            else:
                header_cells = [
                    str(c).replace("\n", "") if c is not None else f"第{j + 1}列" for j, c in enumerate(header.cells)
                ]
            spec = specs[table]
            kinds = {}
            for j, cell in enumerate(header_cells):
                col = spec.headers.get(header_key(cell))
                if col is not None and col.type in ("name", "id_card") and col.type not in kinds.values():
                    kinds[j] = col.type
            for number in sorted(in_sheet["_row"].astype(int).unique()):
                if number - 1 >= len(frame):
                    continue
                values = list(frame.iloc[number - 1])
                out = {
                    "表": table,
                    "台账": spec.sheet,
                    "来源文件": file,
                    "工作表": sheet_name,
                    "行号": int(number),
                    "姓名": None,
                    "身份证号": None,
                }
                for j, value in enumerate(values):
                    if kinds.get(j) == "name":
                        out["姓名"] = value
                    elif kinds.get(j) == "id_card":
                        out["身份证号"] = value
                    out.setdefault(header_cells[j], value)
                rows.append(out)
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=FIXED)
    frame.attrs["个人信息"] = "明文"
    frame.attrs["表"] = "lookup"
    return frame


def _masked_query(kind: str, text: str) -> str:
    from ..ingest import idcard
    from ..privacy import mask_name
    from ..secret import keyed_hash

    if kind == "id":
        return f"身份证号 {idcard.mask(text)}（键 {keyed_hash('person', text)}）"
    if kind == "key":
        return f"人员键 {text}"
    return f"姓名 {mask_name(text)}（键 {keyed_hash('name', text)}）"


def find_person(query: str, reason: str | None = None, raw_dir: Path | str = config.RAW_DIR) -> pd.DataFrame:
    """查询一个人在原始台账中的全部行（仅限授权人员，须写明用途 reason，每次查询记入查询记录）。

    query 可以是身份证号（小写 x、空格、全角数字自动规范，'11010519491231002x' 与 '110105 19491231002X'
    相同）、姓名，或清洗后的表中的 person_key。返回原始台账中的行：表、台账、来源文件、工作表、行号、
    姓名、身份证号（明文），以及该行各列按原表头的内容。只查已接受的行；被拒绝的行见
    data/processed/被拒绝行.xlsx。结果含明文个人信息：不要保存笔记本的输出，不要导出或外传。

        >>> rows = find_person("11010519491231002x", reason="示例：核对受益名单")   # doctest: +SKIP
    """
    from ..ingest import idcard
    from ..ingest.parsers import parse_name
    from ..ingest.pseudonym import PERSON_KEY, key_column
    from ..ledgers import ledger_specs
    from ..secret import keyed_hash
    from ..store import load_result

    authorise(reason)
    text = str(query).strip()
    normal = idcard.normalise(text)
    if _KEY.fullmatch(text):
        kind, key = "key", text
    elif _ID.fullmatch(normal):
        kind, key, text = "id", keyed_hash("person", normal), normal
        problem = idcard.problem(normal)
        if problem:
            warnings.warn(f"这个身份证号不合规（{problem}）：台账中这样的行已被拒绝，只能在被拒绝行中找到")
    else:
        text = parse_name(text).value or text
        kind, key = "name", keyed_hash("name", text)
    result = load_result(raw_dir)
    found = []
    for table_key, spec in ledger_specs().items():
        table = result.tables[table_key]
        if kind == "name":
            columns = [key_column(c) for c in spec.columns if c.personal and c.type == "name"]
        else:
            columns = [PERSON_KEY] if PERSON_KEY in table else []
        for column in columns:
            hit = table.loc[table[column] == key, ["_file", "_sheet", "_row"]]
            found.append(hit.assign(table=table_key))
    locations = (
        pd.concat(found, ignore_index=True).drop_duplicates()
        if found
        else pd.DataFrame(columns=["_file", "_sheet", "_row", "table"])
    )
    rows = raw_rows(locations, raw_dir) if len(locations) else raw_rows(locations.iloc[:0], raw_dir)
    if kind == "id" and len(rows):
        same = rows["身份证号"].map(lambda v: idcard.normalise(v) == text)
        if not same.all():
            warnings.warn(
                "有的行在原始台账中的身份证号与清洗结果不一致（台账在清洗后被改动？），已略去；请重新运行 fupin ingest"
            )
            rows = rows[same].reset_index(drop=True)
    log_access("find_person", reason, _masked_query(kind, text), len(rows), raw_dir)
    if rows.empty:
        warnings.warn("原始台账中没有找到这个人（已接受的行中）：请核对写法，或在被拒绝行中查找")
    return rows


def source_rows(
    df: pd.DataFrame, reason: str | None = None, raw_dir: Path | str = config.RAW_DIR, limit: int = 200
) -> pd.DataFrame:
    """清洗后的行在原始台账中的原样（仅限授权人员，须写明用途 reason，记入查询记录）：按每行的
    _file、_sheet、_row 读取原始台账，返回表、台账、来源文件、工作表、行号、姓名、身份证号（明文）和
    该行各列。一次最多 `limit` 行（默认 200），以免整表导出个人信息。

        >>> rows = source_rows(load("cadres").head(2), reason="示例：核对挂职干部")    # doctest: +SKIP
    """
    from ..store import load_result

    authorise(reason)
    missing = [c for c in ("_file", "_sheet", "_row") if c not in df.columns]
    if missing:
        raise ValueError(f"表中没有来源列 {'、'.join(missing)}：请传入清洗后的表（load() 的结果）中的行")
    if len(df) > limit:
        raise LookupRefused(f"一次查询 {len(df)} 行，超过上限 {limit} 行：请先筛选出需要核对的行（或写明 limit=…）")
    result = load_result(raw_dir)
    ledger = {(s.file, s.sheet): s.ledger for s in result.sheets}
    locations = df[["_file", "_sheet", "_row"]].drop_duplicates().copy()
    locations["table"] = [
        df.attrs.get("表") if df.attrs.get("表") in {s.ledger for s in result.sheets} else ledger.get((f, s))
        for f, s in zip(locations["_file"], locations["_sheet"])
    ]
    locations = locations.dropna(subset=["table"])
    rows = raw_rows(locations, raw_dir)
    tables = "、".join(sorted(set(locations["table"])))
    log_access("source_rows", reason, f"来源行 {len(locations)} 行（表：{tables or '无'}）", len(rows), raw_dir)
    return rows


def masked(rows: pd.DataFrame) -> pd.DataFrame:
    """A lookup's rows as they may be shown or kept: names and ID numbers masked (张*,
    110101********1234), in every column, phone numbers too."""
    from ..ingest import idcard
    from ..privacy import mask_name, redact

    out = rows.copy()
    out["姓名"] = out["姓名"].map(lambda v: mask_name(str(v)) if isinstance(v, str) and v.strip() else v)
    out["身份证号"] = out["身份证号"].map(lambda v: idcard.mask(v) if v is not None and not pd.isna(v) else v)
    names = {str(v) for v in rows["姓名"].dropna()}
    for col in out.columns[len(FIXED) :]:
        out[col] = out[col].map(lambda v: _hide(v, names, redact, mask_name))
    out.attrs = {**rows.attrs, "个人信息": "脱敏"}
    return out


def _hide(value, names, redact, mask_name):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and float(value).is_integer():
        text = str(int(value))  # a phone or ID number stored as a number
        hidden = redact(text)[0]
        return hidden if hidden != text else value
    if not isinstance(value, str):
        return value
    if value.strip() in names:
        return mask_name(value.strip())
    return redact(value)[0]
