"""`gigawatt agent` command line: usage errors and bad site files as one paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from gigawatt.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "colossus2.toml"


@pytest.mark.parametrize("args, needle", [
    (["agent", str(EXAMPLE)], "--vtn"),
    (["agent", str(EXAMPLE), "--vtn", "127.0.0.1:8080"], "http://"),
    (["agent", str(EXAMPLE), "--vtn", "http://127.0.0.1:1/x", "--backend", "gpu"], "--backend"),
    (["agent", str(EXAMPLE), "--vtn", "http://127.0.0.1:1/x", "--time-scale", "0"], "--time-scale"),
])
def test_usage_errors(capsys, args, needle):
    assert main(args) == 2
    assert needle in capsys.readouterr().err


def test_bad_site_file_names_file_and_field(tmp_path, capsys):
    bad = tmp_path / "site.toml"
    bad.write_text(EXAMPLE.read_text().replace("max_hours_per_year = 50.0", "max_hours_per_year = -5"))
    assert main(["agent", str(bad), "--vtn", "http://127.0.0.1:1/OpenADR2/Simple/2.0b"]) == 2
    err = capsys.readouterr().err
    assert "site.toml" in err and "site.contract.max_hours_per_year" in err and "Traceback" not in err
    assert main(["agent", str(tmp_path / "missing.toml"), "--vtn", "http://127.0.0.1:1/x"]) == 2
    assert "missing.toml" in capsys.readouterr().err


def test_help_lists_the_agent(capsys):
    assert main(["--help"]) == 0
    assert "agent" in capsys.readouterr().out
