"""Reports: the batch, the notebooks' toolkit, charts, the document model with its Word and
Typst renderers, and each export (HTML, PDF, Excel)."""
