"""Figures the documents quote that the code defines: they must agree (docs/guide.md's run defaults), and the
table tool of docs/outlook.md prints a hand-written results file exactly."""

import importlib.util
import re
from pathlib import Path

from gigawatt import constants as run  # the CLI's defaults live here

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("outlook_table", ROOT / "tools" / "outlook_table.py")
outlook_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(outlook_table)


def test_guide_run_defaults_are_the_clis():
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    row = next(ln for ln in guide.splitlines() if ln.startswith("| `[run]` | `samples`, `seed` |"))
    samples, seed = (int(x) for x in row.rstrip(" |").rsplit("|", 1)[1].split(","))
    assert (samples, seed) == (run.DEFAULT_DECISION_SAMPLES, run.DEFAULT_SEED)
    prose = re.search(r"built-in defaults \(up to (\d+)\s+samples, seed (\d+), (\d{4})-(\d{4})", guide)
    assert prose is not None
    assert tuple(int(x) for x in prose.groups()) == (run.DEFAULT_DECISION_SAMPLES, run.DEFAULT_SEED,
                                                     run.DEFAULT_FIRST_YEAR, run.DEFAULT_LAST_YEAR)


def test_outlook_table_by_hand():
    results = {
        "gap_mw": {"2026": {"estimate": 534.5, "low": 0.0, "high": 1309.6},
                   "2035": {"estimate": 67_649.3, "low": 66_400.0, "high": None}},
        "verdict": {
            "firm": {"2026": {"status": "undecided", "lole_d": {"mean": 0.10989}, "upper_bound_d": None},
                     "2035": {"status": "fails", "lole_d": {"mean": 364.6}, "upper_bound_d": None}},
            "connect-and-manage": {"2026": {"status": "meets", "lole_d": {"mean": 0.0}, "upper_bound_d": 0.0688},
                                   "2035": {"status": "meets", "lole_d": {"mean": 0.0}, "upper_bound_d": 0.0688}},
        },
    }
    assert outlook_table.table(results).splitlines() == [
        "| year | gap GW | firm | connect-and-manage |",
        "|---|---:|---:|---:|",
        "| 2026 | 0.5 (0.0-1.3) | 0.11 ? | < 0.07 ✓ |",
        "| 2035 | 67.6 (66.4-) | 365 ✗ | < 0.07 ✓ |",
    ]


def test_decomposition_table_by_hand():
    rows = [{"step": "capacity arithmetic", "gap_mw": 6_700.0, "low_mw": 6_700.0, "high_mw": 6_700.0,
             "status": "arithmetic"},
            {"step": "sampled outages", "gap_mw": 1_200.0, "low_mw": 200.0, "high_mw": 2_300.0, "status": "ok"},
            {"step": "+ heat", "gap_mw": 1_200.0, "low_mw": 200.0, "high_mw": 2_300.0, "status": "unchanged"},
            {"step": "+ transfer limits (the model's gap)", "gap_mw": 6_100.0, "low_mw": 1_900.0, "high_mw": None,
             "status": "ok"}]
    assert outlook_table.decomposition_table({"gap_decomposition": {"2027": rows}}).splitlines() == [
        "| step | 2027 GW (change) |",
        "|---|---:|",
        "| capacity arithmetic | 6.7 |",
        "| sampled outages | 1.2 (0.2-2.3) (-5.5) |",
        "| + heat | 1.2 (0.2-2.3) (= unchanged) |",
        "| + transfer limits (the model's gap) | 6.1 (1.9-) (+4.9) |",
    ]


def test_outlook_names_every_decomposition_step():
    from gigawatt.decision.decompose import ELEMENTS

    text = (ROOT / "docs" / "outlook.md").read_text(encoding="utf-8")
    for label, _ in ELEMENTS:
        assert f'"{label.split(" (")[0]}"' in text, label
