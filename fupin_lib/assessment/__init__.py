"""The assessment engine (考核评分): the 67 items of the assessment scheme scored for the 16
districts from a peers table.

    rules.yml, banding.yml, departments.yml (fupin_lib/reference/)  the rules, as data
    formula      the safe formula language of an item's value
    keys         metric keys: Chinese label and unit
    banding      bands against a group average, next band up
    rules        the items, checked when loaded
    points       one engine per rule type
    peers        the peers table reader (.csv / .xlsx, key or Chinese headers)
    home         the home district's row from its own ledgers
    score        every district's points
    card         one district's score card (what the CLI and the notebook start from)
    advice       what the next band takes, in the item's own units
    views        the card as tables with Chinese headers
    figures      the card's charts
    departments  who owes what: items, points, evidence per department
    console      `fupin score` output (rich tables or JSON)
    errors       AssessmentError: bad input, a Chinese message, exit code 2
"""

from .banding import load_banding  # noqa: F401
from .card import ScoreCard, build_card, load_card  # noqa: F401
from .errors import AssessmentError  # noqa: F401
from .peers import PeersError, peers_from_frame, read_peers  # noqa: F401
from .rules import load_rules  # noqa: F401
from .score import Assessment, score  # noqa: F401
