"""Scenario TOML files: the examples load; bad fields are named with the expected value."""

from pathlib import Path

import pytest

from gigawatt.datacenter.contracts import CappedCurtailment, ConnectAndManage, Firm
from gigawatt.errors import FileFormatError, InputError
from gigawatt.io.scenario import parse_scenario, read_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BASE = """
[system]
embedded = "ieee-rts79"

[[sites]]
name = "a"
region = "RTS"
[[sites.fleets]]
accelerator = "H100"
n_gpus = 1000

[[sites]]
name = "b"
region = "RTS"
preset = "colossus2"
[sites.battery]
power_mw = 100.0
energy_mwh = 400.0
"""


def write(tmp_path, text):
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_rts79_example():
    s = read_scenario(EXAMPLES / "datacenters_rts79.toml")
    assert [x.name for x in s.sites] == ["campus-h100", "inference-b200"]
    assert isinstance(s.sites[0].contract, ConnectAndManage)
    assert s.sites[0].battery.energy_mwh == pytest.approx(40 * 3.9)
    assert s.sites[0].power.n_gpus == 100_000
    assert s.sites[1].contract == CappedCurtailment(50.0, 4.0, 0.25, True)
    assert s.sites[1].generation.capacity_mw == 80.0
    assert s.order.imports_mw == {"RTS": 100.0}
    assert s.order.demand_response[0].max_hours_per_year == 60.0
    s.check_regions(["RTS"])


def test_colossus_example():
    s = read_scenario(EXAMPLES / "colossus2_firm_with_backup.toml")
    assert s.system.pras_path.endswith("rts.pras")
    site = s.sites[0]
    assert isinstance(site.contract, Firm) and site.power.n_gpus == 550_000
    assert site.battery.energy_mwh == pytest.approx(168 * 3.9)  # ~0.65 GWh (sources.md F5)
    assert site.generation.capacity_mw == 245.0


def test_valid_base(tmp_path):
    s = read_scenario(write(tmp_path, BASE))
    assert s.sites[1].battery.power_mw == 100.0 and s.sites[1].power.n_gpus == 550_000


@pytest.mark.parametrize("old,new,message", [
    ("energy_mwh = 400.0", "energy_mwh = -4.0", "sites[1].battery.energy_mwh: expected a number >= 0, got -4.0"),
    ("energy_mwh = 400.0", "energy_mwh = 'big'", "sites[1].battery.energy_mwh: expected a number, got 'big'"),
    ("energy_mwh = 400.0", "energy_mwh = 400.0\nsize = 3", "sites[1].battery.size: unknown key; expected one of"),
    ("n_gpus = 1000", "n_gpus = 0", "sites[0].fleets[0].n_gpus: expected a whole number >= 1, got 0"),
    ('accelerator = "H100"', 'accelerator = "A100"', "sites[0].fleets[0].accelerator: expected one of"),
    ('preset = "colossus2"', 'preset = "colossus9"', "sites[1].preset: expected one of ['colossus2']"),
    ('embedded = "ieee-rts79"', 'embedded = "rts96"', "system.embedded: expected ieee-rts79 or pjm-YYYY"),
    ('name = "b"', 'name = "a"', "sites[1].name: expected a unique name"),
])
def test_messages_name_the_field(tmp_path, old, new, message):
    assert old in BASE
    with pytest.raises(FileFormatError) as exc:
        read_scenario(write(tmp_path, BASE.replace(old, new, 1)))
    assert message in str(exc.value)
    assert "s.toml" in str(exc.value)


@pytest.mark.parametrize("extra,message", [
    ('[sites.contract]\nkind = "curtail-all"', "sites[1].contract.kind: expected one of"),
    ('[sites.contract]\nkind = "capped"\nmax_depth_frac = 1.5',
     "sites[1].contract.max_depth_frac: expected a value in [0.0, 1.0], got 1.5"),
    ('[sites.generation]\nn_units = 2', "sites[1].generation.unit_mw: missing"),
    ('[sites.flexibility]\n[[sites.flexibility.jobs]]\nname = "x"\ngpu_share = 0.5\nmax_slowdown = 2.0\n'
     'max_pause_h = 0',
     "sites[1].flexibility.jobs[0].max_slowdown: expected a value in [0.0, 1.0], got 2.0"),
    ('[emergency]\nsteps = ["battery", "pray"]', "emergency.steps[1]: expected one of"),
    ('[[emergency.demand_response]]\nname = "d"\nregion = "RTS"\ncapacity_mw = -5',
     "emergency.demand_response[0].capacity_mw: expected a number >= 0"),
    ('[rotation]\nn_blocks = 2.5', "rotation.n_blocks: expected a whole number >= 1, got 2.5"),
])
def test_nested_messages(tmp_path, extra, message):
    with pytest.raises(FileFormatError) as exc:
        read_scenario(write(tmp_path, BASE + "\n" + extra + "\n"))
    assert message in str(exc.value)


def test_missing_system_and_bad_toml(tmp_path):
    with pytest.raises(InputError, match="system: missing"):
        parse_scenario({"sites": []})
    with pytest.raises(FileFormatError, match="not valid TOML"):
        read_scenario(write(tmp_path, "[system\n"))
    with pytest.raises(FileFormatError, match="cannot read"):
        read_scenario(tmp_path / "absent.toml")


def test_regions_checked_against_the_system(tmp_path):
    s = read_scenario(write(tmp_path, BASE))
    with pytest.raises(InputError, match=r"sites\[0\].region: expected one of \['1', '2'\], got 'RTS'"):
        s.check_regions(["1", "2"])
