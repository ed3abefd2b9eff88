"""Shared statistics live in one place each (issue 14): the unit of analysis
and the test-phase filter in analysis/trials.py, the Clopper-Pearson CI, the
per-participant average and the references of the shared methods in
analysis/statistics.py. A task analysis that writes its own copy fails here."""

import re
from pathlib import Path

import pytest

from attentionlab.analysis import dichotic, flicker, inattention, statistics, trials

ANALYSIS = Path(statistics.__file__).parent
MODULES = sorted(p for p in ANALYSIS.glob("*.py"))

# pattern -> the one module allowed to hold it
ONE_PLACE = {
    r"^UNIT\s*=": "trials.py",
    r"""\[["']phase["']\]\s*==\s*["']test["']""": "trials.py",
    r"\.proportion_ci\(|beta\.ppf\(": "statistics.py",
    r"^def per_participant\(": "statistics.py",
    r"^def cousineau_morey_ci\(|keepdims=True\) \+ values\.mean\(\)": "statistics.py",
    # the references of the shared methods
    r"Clopper, C\. J\.": "statistics.py",
    r"Cousineau, D\. \(2005\)": "statistics.py",
    r"McNemar, Q\.": "statistics.py",
    r"Morey, R\. D\. \(2008\)": "statistics.py",
    r"Rouder, J\. N\.": "statistics.py",
}


@pytest.mark.parametrize("pattern", sorted(ONE_PLACE))
def test_each_shared_piece_is_written_once(pattern):
    holders = [p.name for p in MODULES
               if re.search(pattern, p.read_text(encoding="utf-8"), flags=re.M)]
    allowed = ONE_PLACE[pattern]
    # stroop.per_participant is a named use of statistics.per_participant
    if "per_participant" in pattern:
        holders = [h for h in holders if h != "stroop.py"]
    assert holders == [allowed], f"{pattern!r} written in {holders}, keep it in {allowed}"


def test_task_names_for_the_exact_ci_are_the_shared_one():
    assert flicker.exact_ci is statistics.exact_proportion_ci
    assert inattention.exact_ci is statistics.exact_proportion_ci
    assert dichotic.clopper_pearson.func is statistics.exact_proportion_ci
    assert dichotic.mcnemar_exact is statistics.mcnemar_exact
    assert flicker.UNIT is trials.UNIT and dichotic.UNIT is trials.UNIT
