"""Rendering: the document model and what turns it into pages, from the executed notebooks or
from figures directly. Knows nothing of the batch; reports/ and assessment/ use it.

    document       the Document: headings, paragraphs, bullets, tables, figures (plain data)
    blocks         what a notebook cell displays (tables, charts, texts) as JSON data, and back
    markup         Markdown and HTML escaping of ledger text (every string a literal)
    house_style    what both renderers share: widths, formats, 合计 rows, turned pages
    from_notebook  a Document from an executed notebook (its Markdown and displayed blocks)
    typeset        a Document to PDF through Typst (templates/typst/report.typ)
    word           a Document to .docx through python-docx (GB/T 9704 margins and headings)
    html           an executed notebook to HTML without code (templates/fupin_report), font embedded
    fonts          the Chinese faces cut from the font package (print and web)
    charts         matplotlib charts with the Chinese font, shown as blocks
"""
