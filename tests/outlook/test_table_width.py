"""The outlook summary table printed by ``gigawatt run`` fits a 100-column terminal: no cell wraps or is cut."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from rich.console import Console

from gigawatt.cli.run import DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR, DEFAULT_POLICIES, outlook_table


def _e(mean, stderr):
    return SimpleNamespace(mean=mean, stderr=stderr)


def _results():
    """Ten years by six policies with the widest plausible figures: the longest policy names, LOLE up
    to 365 d/yr with a 4-digit standard error, EUE up to 99 TWh/yr, people up to all of PJM's 67 million."""
    rows = []
    for i, year in enumerate(range(2026, 2036)):
        for j, policy in enumerate(DEFAULT_POLICIES + ("capped-1000.5h",)):
            scale = 10.0 ** (i - 4)  # 1e-4 .. 1e5
            rows.append(SimpleNamespace(
                year=year, policy=policy, peak_mw=165_432.1 + 5_678.9 * i, dc_load_mw=37_456.0 + 6_012.0 * i,
                reserve_margin=0.1523 - 0.0431 * i,
                lole_d=_e(min(365.0, 0.0123456 * scale * (j + 1)), 0.00123456 * scale),
                eue_mwh=_e(min(99_123_456.0, 987.654 * scale * (j + 1)), 1.0),
                people_affected=_e(min(67_123_456.0, 45_612.3 * scale * (j + 1)), 1.0)))
    return rows


def _render(table, width: int = 100) -> list[str]:
    con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    con.print(table)
    return con.export_text().rstrip("\n").split("\n")


@pytest.mark.parametrize("width", [100, 80])
def test_outlook_table_fits_without_wrapping(width):
    res = _results()
    lines = _render(outlook_table(res, width), width)
    assert max(len(line) for line in lines) <= width
    assert "…" not in "\n".join(lines)
    # one line a data row, plus the header and the rule under it: no cell wrapped onto a second line
    assert len(lines) == len(res) + 2, "\n".join(lines)
    for r in res:  # policy names whole
        assert any(r.policy in line.split() for line in lines), r.policy
    # the same table with room to spare is no wider (nothing was squeezed to fit)
    natural = _render(outlook_table(res, width), width=200)
    assert [line.rstrip() for line in natural] == [line.rstrip() for line in lines]
    assert ("peak GW" in lines[0]) == (width == 100)  # at 80 columns, without peak and data-center load


def test_year_figures_once_per_year():
    res = _results()
    lines = _render(outlook_table(res))[2:]
    assert sum("2026" in line for line in lines) == 1
    assert lines[0].split()[:4] == ["2026", "165.4", "37.5", "15.2%"]


def test_cli_defaults_match_the_outlook():
    """run.py repeats the default years and policies to print its first line before importing the model."""
    from gigawatt.outlook import POLICIES, OutlookAssumptions

    years = OutlookAssumptions().years
    assert (DEFAULT_FIRST_YEAR, DEFAULT_LAST_YEAR) == (years[0], years[-1])
    assert DEFAULT_POLICIES == tuple(POLICIES)


def test_rows_grouped_by_year_whatever_the_order_of_results():
    res = _results()
    by_policy = sorted(res, key=lambda r: (list(DEFAULT_POLICIES + ("capped-1000.5h",)).index(r.policy), r.year))
    assert _render(outlook_table(by_policy)) == _render(outlook_table(res))


def _decision():
    """Ten years by the five default policies, gaps up to 99.9 GW with wide intervals, every verdict kind."""
    from gigawatt.decision import Search, Verdict

    policies = DEFAULT_POLICIES
    cells = {}
    kinds = ("meets", "fails", "undecided")
    for i, year in enumerate(range(2026, 2036)):
        for j, p in enumerate(policies):
            lole = min(365.0, 0.0123456 * 10.0 ** (i - 3) * (j + 1))
            ub = 0.0312 if (i + j) % 4 == 0 else None
            v = Verdict(kinds[(i + j) % 3], _e(lole, lole / 10), 160, ub)
            gap = Search("capacity", 9_876.5 * i, 9_876.5 * i - 1_234.5, 9_876.5 * i + 1_234.5, "ok")
            cells[(year, p)] = SimpleNamespace(verdict=v, gap=gap, result=SimpleNamespace(reserve_margin=0.15 - 0.04 * i))
    return SimpleNamespace(cells=cells, years=tuple(range(2026, 2036)), policies=policies)


@pytest.mark.parametrize("width", [100, 80])
def test_decision_table_fits_without_wrapping(width):
    from gigawatt.cli.run import decision_table

    dec = _decision()
    lines = _render(decision_table(dec, width), width)
    assert max(len(line) for line in lines) <= width
    assert "…" not in "\n".join(lines)
    assert len(lines) == len(dec.years) + 2, "\n".join(lines)
    assert "88.9 (87.7-90.1)" in lines[-1]  # 2035's gap with its interval, whole
    assert ("reserve" in lines[0]) == (width == 100)
