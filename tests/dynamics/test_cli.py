"""`gigawatt dynamics` command line: JSON summaries, plots, one-paragraph errors."""

from __future__ import annotations

import json

import pytest

from gigawatt.cli import main


def test_frequency_json(capsys):
    assert main(["dynamics", "frequency", "--trip-gw", "1.5", "--deadband", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["settling_deviation_hz"] == pytest.approx(1500 / out["beta_mw_per_hz"], rel=2e-3)
    assert out["zenith_hz"] > 60.0 and out["ufls_shed_mw"] == 0.0


def test_trace_json_and_plot(tmp_path, capsys):
    png = tmp_path / "t.png"
    rc = main(["dynamics", "trace", "--gpus", "20000", "--jobs", "2", "--hours", "0.02",
               "--dt", "0.1", "--json", "--plot", str(png)])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert png.stat().st_size > 1000
    assert out["facility_mw"]["max"] > out["facility_mw"]["mean"] > out["facility_mw"]["min"] > 0


def test_smooth_json_battery_meets_ramp(capsys):
    rc = main(["dynamics", "smooth", "--gpus", "20000", "--jobs", "2", "--hours", "0.05",
               "--battery-mw", "30", "--battery-mwh", "2", "--ramp-limit", "1", "--json"])
    assert rc == 0
    cases = {c["label"]: c for c in json.loads(capsys.readouterr().out)["cases"]}
    assert not cases["unsmoothed"]["compliance"]["ok_max_ramp"]
    assert cases["battery"]["compliance"]["ok_max_ramp"]


@pytest.mark.parametrize("args, needle", [
    (["dynamics", "trace", "--phase", "sideways"], "--phase"),
    (["dynamics", "frequency", "--kind", "nuclear"], "--kind"),
    (["dynamics", "frequency", "--deadband", "-1"], "--deadband"),
    (["dynamics", "smooth", "--hours", "0"], "--hours"),
])
def test_bad_input_exit_2_one_paragraph(args, needle, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
