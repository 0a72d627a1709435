"""Reports: the batch, the notebooks' toolkit, charts, and each export (HTML, PDF, Excel)."""
