"""Reports: the batch that makes a period's documents as one set, and the notebooks' API.
Rendering (the document model, Word, Typst, HTML, charts) is fupin_lib/render/.

    batch         run the period's notebooks through papermill, check, publish the set
    kernels       the notebooks' kernels: one clean kernel per notebook, started ahead of need
    notebook_api  the notebooks' API: load a period, pick, label and show figures
    annual        the half-year and year-end report's sections
    brief         the 简报, built from the figures as a Document
    tracker       who sent which ledger (报送情况)
    workbook      the 进展情况表 (.xlsx, formulas stored with their values)
    overview      reports/index.html: every period and its headline figures
    provenance    what a run was made from (the run record)
"""
