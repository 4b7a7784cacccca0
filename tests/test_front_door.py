"""One front door: every study samples through ``assess``/``execution``; runs extend, resume, stop and scale out.

The checks of issue "one front door": an extended run gives the bits of a whole one; a decision on a
Dask cluster and a decision resumed from checkpoints give the numbers of a plain local run; cancel stops
the work between chunks; the system carries its time step and day offset, so no caller passes them.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from gigawatt import Assessment, SequentialMonteCarlo, Shortfall, assess
from gigawatt.errors import Cancelled, InputError
from gigawatt.execution import accumulators_equal
from gigawatt.system import TimeAxis
from gigawatt.systems import ieee_rts79

SRC = Path(__file__).resolve().parents[1] / "src" / "gigawatt"


@pytest.fixture(scope="module")
def rts79():
    return ieee_rts79()


# ------------------------------------------------------------------------------------ extendable runs
def test_an_extended_run_is_bit_identical_to_a_whole_one(rts79):
    whole = Assessment(rts79, SequentialMonteCarlo(seed=4)).extend(30)
    steps = Assessment(rts79, SequentialMonteCarlo(seed=4))
    for n in (3, 3, 11, 30):  # a repeated or smaller size runs nothing
        steps.extend(n)
    assert steps.samples == 30 and len(steps.run.parts) == 3
    assert accumulators_equal(steps.accumulators(), whole.accumulators())
    ref = assess(rts79, SequentialMonteCarlo(samples=30, seed=4), Shortfall())
    got = steps.results(Shortfall())
    assert got.lole_d == ref.lole_d and got.eue_mwh == ref.eue_mwh
    # per-sample LOLE [day/yr] from the system's own horizon (8736 h here, not a literal 8760)
    assert np.array_equal(steps.lole_per_year(), whole.accumulators().lold / (8736 / 8760))


def test_chunks_sized_by_time_give_the_same_bits(rts79):
    ref = Assessment(rts79, SequentialMonteCarlo(seed=2)).extend(12).accumulators()
    timed = Assessment(rts79, SequentialMonteCarlo(seed=2, chunk_seconds=1e-4))
    timed.extend(12)
    assert accumulators_equal(timed.accumulators(), ref)


def test_cancel_stops_between_chunks(rts79):
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    run = Assessment(rts79, SequentialMonteCarlo(seed=1, chunk_size=2, cancel=cancel))
    with pytest.raises(Cancelled):
        run.extend(40)
    assert run.samples == 0  # nothing half-done is kept as a result
    assert len(calls) == 4  # asked before the first chunk and after each of three


def test_a_dense_spec_needs_a_dense_assessment(rts79):
    from gigawatt.results import StorageEnergy

    a = Assessment(rts79, SequentialMonteCarlo(seed=1)).extend(2)
    with pytest.raises(InputError, match="dense"):
        a.results(StorageEnergy())


# ------------------------------------------------------------------------------------ the time axis
def test_the_system_carries_its_day_offset(rts79):
    import dataclasses

    shifted = dataclasses.replace(rts79, timeaxis=TimeAxis(rts79.timeaxis.start, 1.0, rts79.n_periods,
                                                           day_utc_offset_h=-12.0))
    own = assess(shifted, SequentialMonteCarlo(samples=40, seed=3), Shortfall())
    told = assess(rts79, SequentialMonteCarlo(samples=40, seed=3, day_utc_offset_h=-12.0), Shortfall())
    utc = assess(rts79, SequentialMonteCarlo(samples=40, seed=3), Shortfall())
    assert own.lole_d == told.lole_d and own.lole_peak_d == told.lole_peak_d
    # the offset moves day boundaries (and so each day's peak hour): the test can tell
    assert (own.lole_d, own.lole_peak_d) != (utc.lole_d, utc.lole_peak_d)
    assert own.lolh_h == utc.lolh_h  # hours do not depend on it
    with pytest.raises(InputError, match="day_utc_offset_h"):
        TimeAxis("2020-01-01", 1.0, 10, day_utc_offset_h=float("nan"))


def test_the_pjm_grid_counts_eastern_days():
    from gigawatt.outlook import OutlookAssumptions

    grid = OutlookAssumptions(years=(2026,), weather_years=(2025,)).grid(2026)
    assert grid.timeaxis.day_utc_offset_h == -5.0
    assert grid.timeaxis.years == pytest.approx(1.0)


def _source_files():
    return [p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts]


def _code_lines(path: Path) -> dict:
    """Each line's code tokens (names, numbers, operators), strings and comments left out."""
    import io
    import tokenize

    lines: dict = {}
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if tok.type in (tokenize.NAME, tokenize.NUMBER, tokenize.OP):
            lines.setdefault(tok.start[0], []).append(tok.string)
    return {i: " ".join(t) for i, t in lines.items()}


def test_no_caller_passes_a_day_offset_or_divides_by_8760():
    """Per-year figures divide by the time axis's ``years``; days follow the system's own clock."""
    per_year = re.compile(r"/ 8760(\.0)?\b")
    offset = re.compile(r"day_utc_offset_h = -? ?\d")
    bad = []
    for p in _source_files():
        rel = p.relative_to(SRC).as_posix()
        for i, code in _code_lines(p).items():
            if per_year.search(code) and rel != "system/components.py":
                bad.append(f"{rel}:{i}: {code}")
            if offset.search(code) and not rel.startswith(("system/", "systems/")):
                bad.append(f"{rel}:{i}: {code}")
    assert not bad, "\n".join(bad)


def test_only_the_engine_calls_the_kernel_entry_points():
    """From every study to the kernel the path goes through ``assess`` and ``execution``."""
    bad = []
    for p in _source_files():
        rel = p.relative_to(SRC).as_posix()
        if rel.startswith(("methods/", "execution/")):
            continue
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "gigawatt.methods.sequential":
                names = {a.name for a in node.names} & {"prepare", "run_chunk", "Prepared"}
                if names:
                    bad.append(f"{rel}:{node.lineno} imports {sorted(names)}")
    assert not bad, "\n".join(bad)


# ------------------------------------------------------------------------------------ the decision
@pytest.fixture(scope="module")
def small_outlook():
    from gigawatt.outlook import OutlookAssumptions

    return OutlookAssumptions(years=(2027,), weather_years=(2024, 2025))


def _decision_dict(outlook, **kw):
    from gigawatt.decision import DecisionMethod, run_decision

    method = DecisionMethod(seed=1, max_samples=8, search_samples=4, max_trials=3, **kw)
    dec = run_decision(outlook, method, policies=("firm",))
    return dec, {**dec.to_dict(), "results": [r.to_dict() for r in dec.results]}


def test_a_decision_resumes_from_its_checkpoints(small_outlook, tmp_path):
    ref, ref_dict = _decision_dict(small_outlook)
    assert ref.cells[(2027, "firm")].gap.x_mw > 0  # the search ran: its trials are checkpointed too
    calls = []

    def killed():  # the run stops part-way (after 3 of its 6 cancellation checks), as a killed process would
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        _decision_dict(small_outlook, checkpoint_dir=tmp_path, cancel=killed)

    def saved():  # chunk file -> when it was written
        return {p: p.stat().st_mtime_ns for p in tmp_path.glob("run-*/chunk-*.npz")}

    first = saved()
    assert first
    _, again = _decision_dict(small_outlook, checkpoint_dir=tmp_path)
    after = saved()
    assert json.dumps(again, sort_keys=True) == json.dumps(ref_dict, sort_keys=True)
    assert set(first) < set(after)  # the restart computed what was missing ...
    assert all(after[p] == t for p, t in first.items())  # ... and reused, not rewrote, what was saved
    _, third = _decision_dict(small_outlook, checkpoint_dir=tmp_path)
    assert saved() == after  # nothing left to compute
    assert third == again


def test_gigawatt_run_on_dask_workers_gives_the_local_numbers(tmp_path):
    from gigawatt.cli import main

    args = ["run", "--samples", "8", "--first-year", "2026", "--last-year", "2027", "--policies", "firm"]
    assert main(args + ["--out", str(tmp_path / "local")]) == 0
    assert main(args + ["--out", str(tmp_path / "dask"), "--workers", "2",
                        "--checkpoint-dir", str(tmp_path / "ck")]) == 0
    a = json.loads((tmp_path / "local" / "results.json").read_text())
    b = json.loads((tmp_path / "dask" / "results.json").read_text())
    a.pop("run_time_s")
    b.pop("run_time_s")
    assert a["gap_mw"]["2027"]["estimate"] > 0
    assert a == b
    assert list((tmp_path / "ck").glob("run-*/chunk-*.npz"))


def test_run_refuses_workers_and_scheduler_together(tmp_path, capsys):
    from gigawatt.cli import main

    code = main(["run", "--out", str(tmp_path), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert "--workers and --scheduler" in capsys.readouterr().err


def test_the_range_reports_every_scenario(small_outlook):
    """``--range``: the central gap and each scenario's, with the data-center cases either side of it."""
    from gigawatt.decision import DecisionMethod, range_scenarios, run_range

    method = DecisionMethod(seed=1, max_samples=4, search_samples=4, max_trials=3)
    out = run_range(small_outlook, method, years=(2027,))
    assert out["years"] == [2027] and out["central"]["2027"]["estimate"] > 0
    assert [(r["factor"], r["case"]) for r in out["scenarios"]] == [(f, c) for f, c, _ in range_scenarios(small_outlook)]
    gap = {r["case"]: r["gap_mw"]["2027"]["estimate"] for r in out["scenarios"]}
    low, high = (next(v for k, v in gap.items() if k.startswith(s)) for s in ("low (2.5", "high (6.25"))
    # 2027's data centers: 7.5 GW (low) and 18.75 GW (high) against 15 GW, on the same capacity
    assert low < out["central"]["2027"]["estimate"] < high


def test_adequacy_reports_per_year_when_a_sample_spans_weather_years(capsys):
    """A sample of TVA's nine weather years: the command's LOLE is per year, as the decision's is."""
    from gigawatt.cli import main
    from gigawatt.io.catalogue import embedded_system

    assert main(["adequacy", "tva-2026", "--samples", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["years_per_sample"] == 9.0
    per_year = Assessment(embedded_system("tva-2026"), SequentialMonteCarlo(seed=1)).extend(4).lole_per_year()
    assert out["lole_d"]["mean"] == pytest.approx(per_year.mean(), rel=1e-3)  # 9 vs 8760-h years: 1e-9 apart


def test_the_catalogue_names_every_embedded_system():
    from gigawatt.io.catalogue import embedded_system, is_embedded, parse_name

    assert parse_name("ieee-rts79") == ("ieee-rts79", None)
    assert parse_name("pjm-2030") == ("pjm", 2030) and parse_name("tva-2041") == ("tva", 2041)
    assert parse_name("rts96") is None and not is_embedded("pjm") and not is_embedded("ercot-20300")
    with pytest.raises(InputError, match="study years are 2026-2060"):
        parse_name("ercot-2025")
    with pytest.raises(InputError, match="expected ieee-rts79 or pjm-YYYY"):
        embedded_system("rts96")


def test_run_refuses_an_empty_scenario_and_says_how_to_study_a_system_year(tmp_path, capsys):
    from gigawatt.cli import main

    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert main(["run", str(empty), "--out", str(tmp_path / "o")]) == 2
    assert "holds no table" in capsys.readouterr().err
    assert main(["run", "ercot-2030", "--out", str(tmp_path / "o")]) == 2
    assert "give ercot with --first-year 2030 --last-year 2030" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
