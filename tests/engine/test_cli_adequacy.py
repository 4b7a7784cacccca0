"""``gigawatt adequacy`` end to end."""

import json

from gigawatt.cli import main


def test_json_summary_on_embedded_rts79(capsys):
    assert main(["adequacy", "ieee-rts79", "--samples", "300", "--seed", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["samples"] == 300 and out["seed"] == 4 and out["periods"] == 8736 and out["step_h"] == 1.0
    for key in ("lolh_h", "lole_d", "eue_mwh", "neue_ppm"):
        assert set(out[key]) == {"mean", "stderr"}
    # published 9.39418 h/yr within 3 standard errors
    assert abs(out["lolh_h"]["mean"] - 9.39418) <= 3 * out["lolh_h"]["stderr"]
    assert set(out["regions"]["RTS"]) >= {"lolh_h", "eue_mwh", "neue_ppm"}


def test_add_load_raises_risk(capsys):
    main(["adequacy", "ieee-rts79", "--samples", "100", "--json"])
    base = json.loads(capsys.readouterr().out)
    main(["adequacy", "ieee-rts79", "--samples", "100", "--json", "--add-load-mw", "200"])
    more = json.loads(capsys.readouterr().out)
    assert more["lolh_h"]["mean"] > base["lolh_h"]["mean"] and more["add_load_mw"] == 200


def test_pras_file_and_table_output(shared_data, capsys):
    assert main(["adequacy", str(shared_data / "pras/toymodel.pras"), "--samples", "50"]) == 0
    assert "LOLE" in capsys.readouterr().out


def test_errors_are_one_paragraph(tmp_path, capsys):
    assert main(["adequacy", str(tmp_path / "nope.pras")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err
    bad = tmp_path / "bad.pras"
    bad.write_bytes(b"\x00garbage")
    assert main(["adequacy", str(bad)]) == 2
    assert "HDF5" in capsys.readouterr().err
    assert main(["adequacy", "no-such-system"]) == 2
    assert "an embedded system: ieee-rts79" in capsys.readouterr().err
    assert main(["adequacy", "ieee-rts79", "--samples", "0"]) != 0


def test_scenario_file_reports_both_sides(capsys):
    from pathlib import Path

    from gigawatt import DataCenters, SequentialMonteCarlo, Shortfall, assess
    from gigawatt.cli.adequacy import load_system

    path = str(Path(__file__).resolve().parents[2] / "examples" / "datacenters_rts79.toml")
    assert main(["adequacy", path, "--samples", "40", "--seed", "2", "--chunk-size", "40", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    dc = out["datacenters"]
    assert set(dc["sites"]) == {"campus-h100", "inference-b200"}
    assert set(dc["demand_response"]) == {"industrial-dr"}
    # the same run through the API gives the same numbers
    short, ref = assess(load_system(path), SequentialMonteCarlo(samples=40, seed=2), Shortfall(), DataCenters())
    assert out["eue_mwh"] == short.eue_mwh.to_dict()
    assert dc["residents"]["eue_mwh"]["mean"] == short.eue_mwh.mean
    assert dc["sites"]["campus-h100"]["curtailed_mwh"] == ref.sites["campus-h100"]["curtailed_mwh"].to_dict()
    # the connect-and-manage campus is curtailed (the RTS-79 is short with 200+ MW of AI load added)
    assert dc["sites"]["campus-h100"]["curtailed_mwh"]["mean"] > 0
    assert main(["adequacy", path, "--samples", "5"]) == 0
    text = capsys.readouterr().out
    assert "residents" in text and "campus-h100" in text
