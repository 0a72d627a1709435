"""The evidence pack (证明材料) of the year's assessment submission (`fupin evidence`).

lists   the name lists the scheme asks for, from the raw ledgers (names and ID numbers in
        clear: the only output that has them), each as long as the figure it proves
pack    the index of the 67 items (points under both readings, departments, documents found
        and missing), the funds statistics table, the office's documents; owner-only
"""

from .pack import EvidenceError, Pack, build_pack  # noqa: F401
