"""Figures: pure functions from clean tables to the period's figures and tables, per domain.

Every public function with a `period` parameter takes the period in any written form
('2020Q2', '2020年第二季度', '2020H1', '2020', '2020-06-30', a Period) and marks a table it returns
with the window it covers (`attrs["口径"]`): windows.accepts_periods, applied here once to each
module so that no function body parses a period.
"""

from .. import windows as _windows
from . import cadres, consumption, funds, governance, headline, labour, pairing, registry, sections, society, targets

for _module in (
    cadres,
    consumption,
    funds,
    governance,
    headline,
    labour,
    pairing,
    registry,
    sections,
    society,
    targets,
):
    _windows.wrap_module(_module)
