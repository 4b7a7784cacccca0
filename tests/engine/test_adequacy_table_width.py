"""The data-center tables of ``gigawatt adequacy SCENARIO.toml`` fit a 100-column terminal without wrapping."""

from __future__ import annotations

import io
from types import SimpleNamespace

from rich.console import Console

from gigawatt.cli.adequacy import _print_datacenters
from gigawatt.results.datacenter import RESIDENT_FIELDS, SITE_FIELDS


def _e(mean, stderr):
    return SimpleNamespace(mean=mean, stderr=stderr)


def test_datacenter_tables_fit_100_columns():
    wide = [_e(944_912.3, 231_234.5), _e(0.00063942, 0.000123), _e(1.0e-6, 1.0e-7), _e(12.345, 1.2345)]
    sites = {f"campus-{i}-gb300": {k: wide[(i + j) % len(wide)] for j, k in enumerate(SITE_FIELDS)}
             for i in range(5)}
    dc = SimpleNamespace(residents={k: wide[j % len(wide)] for j, k in enumerate(RESIDENT_FIELDS)}, sites=sites)
    con = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    _print_datacenters(con, dc)
    lines = con.export_text().rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 100
    assert "…" not in "\n".join(lines)
    # residents: header box (3 lines) + one line a field + bottom rule; each site table the same
    tables = [i for i, line in enumerate(lines) if line.startswith("┏")]
    assert len(tables) >= 3  # the five data centers need more than one table at 100 columns
    n_rows = [len(RESIDENT_FIELDS)] + [len(SITE_FIELDS)] * (len(tables) - 1)
    assert len(lines) == sum(n + 4 for n in n_rows)
    assert "[h]" in "\n".join(lines)  # units in brackets are shown, not taken for markup
    header = "\n".join(lines[t + 1] for t in tables[1:])
    assert all(name in header for name in sites)  # every data center, its name whole
