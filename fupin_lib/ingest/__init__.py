"""Ingestion: the departments' workbooks in, clean tables and rejected rows out.

isolation   what one file can cost: checks before a workbook is opened, a reader process
            bounded in memory and time
reading     one file into raw sheets (formats, encodings, merged cells, passwords, panics)
recognise   the table in a sheet (ledger, header, unit, title, total and note rows)
parsers     one parser per column type (amounts, counts, dates, IDs, areas …)
schemas     one pandera schema per ledger (built from fupin_lib/ledgers.py)
sheet       the rows of one sheet checked: accepted rows and rejection records
folder      the folder: which files, sheets and rows count (ingest_folder)
result      IngestResult, Notice, SheetReport
file_names  what a file's path says: the sending department, the round
years       what a year's figures read when the folder holds several years
submissions who sent which ledger, for the not-sent rule
pseudonym   personal columns replaced by keyed hashes and masked copies
idcard      ID numbers: normal form, check digit, birth date
"""

from .folder import find_files, ingest_folder  # noqa: F401
from .file_names import department_of, round_of  # noqa: F401
from .result import IngestResult, Notice, SheetReport  # noqa: F401
