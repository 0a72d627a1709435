"""Ingestion: the departments' workbooks in, clean tables and rejected rows out.

    isolation what one file can cost: checks before a workbook is opened, a reader process
              bounded in memory and time
    reading   one file into raw sheets (formats, encodings, merged cells, passwords, panics)
    finding   the table in a sheet (ledger, header, unit, title, total and note rows)
    parsers   one parser per column type (amounts, counts, dates, IDs, areas …)
    schemas   the ledgers as data (reference/ledgers.yml) and one pandera schema per ledger
    sheet     the rows of one sheet checked: accepted rows and rejection records
    policy    the folder: which files, sheets and rows count
    result    IngestResult, Notice, SheetReport
    blank     blank ledger templates for the departments
"""

from .policy import find_files, ingest_folder  # noqa: F401
from .result import IngestResult, Notice, SheetReport, department_of  # noqa: F401
