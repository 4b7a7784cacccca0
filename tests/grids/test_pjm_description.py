"""PJM as a grid description: gigawatt/data/pjm.toml gives the model of the Python constants it replaced, and
an edited copy gives the model with the edit (docs/grids.md, "The PJM model's sections")."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from gigawatt.cli import main
from gigawatt.errors import FileFormatError
from gigawatt.io.grid import load_grid, read_grid_description
from gigawatt.outlook import OutlookAssumptions
from gigawatt.systems import pjm
from gigawatt.systems.pjm_description import PJMModel, embedded

TEXT = (resources.files("gigawatt") / "data" / "pjm.toml").read_text(encoding="utf-8")
WY = (2014,)

# the figures of the Python constants the description replaced (RRS Table 5 ICAP, ELCC 2026/27 and 2027/28,
# EFORs, DOM shares), written out by hand from the previous pjm_constants.py
BEFORE_CLASSES = {
    "Nuclear": (32_144, 0.95, 0.95, 0.018, 0.11), "Coal": (35_779, 0.83, 0.83, 0.120, 0.06),
    "Gas CC": (57_664, 0.74, 0.74, 0.080, 0.20), "Gas CT": (11_030, 0.60, 0.61, 0.080, 0.18),
    "Gas CT dual fuel": (13_158, 0.78, 0.77, 0.080, 0.18), "Steam oil/gas": (10_004, 0.73, 0.72, 0.080, 0.12),
    "Diesel": (329, 0.91, 0.92, 0.080, 0.15), "Hydro run-of-river": (519, 0.38, 0.39, 0.067, 0.10),
    "Landfill gas": (118, 0.50, 0.48, 0.080, 0.10), "Onshore wind": (3_549, 0.41, 0.41, 0.0, 0.02),
    "Solar": (9_902, 0.105, 0.078, 0.0, 0.35), "Storage": (5_834, 0.50, 0.58, 0.0, 0.52)}


def _copy(tmp_path, *edits, name="my_pjm.toml"):
    text = TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_description_holds_the_figures_of_the_constants_it_replaced():
    m = embedded()
    assert load_grid("pjm") is m and pjm.MODEL is m
    got = {c.name: (c.icap_mw, c.elcc_2026, c.elcc_2027, c.efor, c.dom_share) for c in m.classes}
    assert got == BEFORE_CLASSES
    assert (m.irm, m.dr_mw, m.dr_elcc, m.cold_scale, m.heat_scale, m.cbot_frac) == (
        {2026: 0.191, 2027: 0.200}, 8_184.0, {2026: 0.69, 2027: 0.92}, 0.46, 0.0, 0.015)
    assert m.forecast("2026").peak_mw(2030) == 1.17 * 156_400.0  # the derived point, written out
    assert m.forecast("2026").energy_mwh(2026) == pytest.approx(1_437_629e3 / 1.053 ** 10, rel=1e-15)
    assert [c.name for c in m.classes if c.common_mode] == ["Gas CC", "Gas CT", "Gas CT dual fuel", "Steam oil/gas"]
    assert len(m.schedule) == 6 and sum(u.added_mw for u in m.dom_upgrades) == 4_250.0


def test_pjm_years_from_the_description_equal_the_previous_builder():
    """Reference values of the builder before the move (the same code on the Python constants): the
    capacity, peak, data centers and margin by year, the 2034 fleet by class, and the 2026 grid's units."""
    o = OutlookAssumptions(years=(2026,), weather_years=WY)
    before = {2026: (186272.40000000002, 156400.0, 10400.0, 0.19100000000000006),
              2027: (183044.50565765626, 160000.0, 15600.0, 0.1440281603603517),
              2030: (198234.52903603466, 182988.0, 31200.0, 0.08331982991253328)}
    for y, ref in before.items():
        assert (o.capacity_mw(y), o.forecast_peak_mw(y), o.dc_load_mw(y), o.reserve_margin(y)) == ref
    fleet = o.fleet_icap_mw(2034)
    assert fleet["Nuclear"] == 32396.54702193915 and fleet["Solar"] == 19697.667761051565
    assert fleet["Storage"] == 14640.22886467126 and fleet["Coal"] == 27673.519351915154
    g = o.grid(2026)
    assert len(g.generators.names) == 393
    assert float(np.asarray(g.generators.capacity_mw)[:, 0].sum()) == pytest.approx(147936.79891470252, rel=1e-12)
    assert float(np.asarray(g.generators.failure_prob).mean()) == pytest.approx(0.002256432111664645, rel=1e-12)
    assert float(np.asarray(g.regions.load_mw).sum()) == pytest.approx(775704075.4138691, rel=1e-12)


def test_a_copy_read_from_a_file_builds_the_same_system(tmp_path):
    m = read_grid_description(_copy(tmp_path))
    assert isinstance(m, PJMModel) and m is not embedded()
    a = OutlookAssumptions(years=(2027,), weather_years=WY).grid(2027)
    b = OutlookAssumptions.from_model(m, years=(2027,), weather_years=WY).grid(2027)
    for x, y in ((a.generators.capacity_mw, b.generators.capacity_mw), (a.generators.failure_prob,
                                                                          b.generators.failure_prob),
                 (a.regions.load_mw, b.regions.load_mw)):
        assert np.array_equal(np.asarray(x), np.asarray(y))


def test_an_edited_copy_changes_what_it_should(tmp_path):
    """Nuclear ICAP +10,000 MW: the 2026/27 fleet is scaled to the IRM, so the total stays and nuclear's share
    rises to (32,144 + 10,000) / (180,030 + 10,000); the reserve margin of 2026 +5 points: installed capacity
    up by 5 % of the peak; the nuclear EFOR: only the nuclear units' outage probability moves."""
    x = 10_000.0
    base = OutlookAssumptions(years=(2026,))
    m = read_grid_description(_copy(tmp_path, ("icap_mw = 32_144", "icap_mw = 42_144"),
                                    ("reserve_margin = { 2026 = 0.191", "reserve_margin = { 2026 = 0.241"),
                                    ("efor = 0.018", "efor = 0.036")))
    o = OutlookAssumptions.from_model(m, years=(2026,))
    f0, f1 = base.fleet_icap_mw(2026), o.fleet_icap_mw(2026)
    assert f1["Nuclear"] / sum(f1.values()) == pytest.approx((32_144 + x) / (180_030 + x), rel=1e-12)
    assert f0["Nuclear"] / sum(f0.values()) == pytest.approx(32_144 / 180_030, rel=1e-12)
    assert o.capacity_mw(2026) - base.capacity_mw(2026) == pytest.approx(0.05 * 156_400, rel=1e-9)
    g0 = OutlookAssumptions(years=(2026,), weather_years=WY).grid(2026)
    g1 = OutlookAssumptions.from_model(m, years=(2026,), weather_years=WY).grid(2026)
    t = 4_000  # mid-June: no cold, and no heat outages at the fitted heat scale: the rate is the class's alone

    def rate(g, cls):
        rows = [i for i, c in enumerate(g.generators.categories) if c == cls]
        return np.asarray(g.generators.failure_prob)[rows, t]

    # the stationary failure probability of a two-state unit out a share u of the time: r u / (1 - u)
    assert rate(g1, "Nuclear") == pytest.approx((1 / 150) * 0.036 / (1 - 0.036), rel=1e-12)
    assert rate(g0, "Nuclear") == pytest.approx((1 / 150) * 0.018 / (1 - 0.018), rel=1e-12)
    assert rate(g1, "Coal")[0] == rate(g0, "Coal")[0]


def test_system_describe_and_run_take_an_edited_copy(tmp_path, capsys):
    p = _copy(tmp_path, ("name = \"pjm\"", "name = \"my-pjm\""), ("scale = 0.46", "scale = 0.60"),
              ("mw = 8_184.0", "mw = 10_184.0"))
    assert main(["system", "describe", str(p), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["system"] == str(p) and d["cold"]["factor"] == 0.6
    assert d["accounts"]["dr_icap_mw"] == 10_184.0
    assert main(["system", "describe", "pjm-2026", "--json"]) == 0
    e = json.loads(capsys.readouterr().out)
    assert e["cold"]["factor"] == 0.46 and e["accounts"]["dr_icap_mw"] == 8_184.0
    # the same fleet accounting: ICAP is (1 + IRM) x peak either way
    assert d["accounts"]["icap_mw"] == pytest.approx(e["accounts"]["icap_mw"], rel=1e-12)
    # more cold outages in the replays
    assert d["cold"]["replays"][0]["model_mw"] > e["cold"]["replays"][0]["model_mw"] * 1.1


@pytest.mark.parametrize("old, new, where", [
    ("efor = 0.018", "efor = 1.5", "classes[0].efor: expected a number in [0, 0.95], got 1.5"),
    ("efor = 0.018", "eforr = 0.018", "classes[0].eforr: unknown key"),
    ("elcc = { 2026 = 0.95, 2027 = 0.95 }", "elcc = { 2026 = 0.95 }", "classes[0].elcc: expected the ratings of "
                                                                      "delivery years 2026 and 2027"),
    ("zones = { DOM = 0.11, REST = 0.89 }", "zones = { DOM = 0.11, REST = 0.8 }", "classes[0].zones: shares must "
                                                                                   "add up to 1"),
    ("\"Coal\" = -10_500.0", "\"Lignite\" = -10_500.0", "capacity.schedule[1].mw.Lignite: not a class"),
    ("years = { 2028 = 0.5, 2029 = 0.5 }", "years = { 2028 = 0.5, 2029 = 0.6 }",
     "capacity.schedule[0].years: the shares sum to 1.1"),
    ("vintage = \"2026\"", "vintage = \"2024\"", "forecast.vintage: expected one of ['2025', '2026']"),
    ("reserve_margin = { 2026 = 0.191", "reserve_margin = { 26 = 0.191", "capacity.reserve_margin.26: expected a "
                                                                         "year"),
    ("reserve_margin = { 2026 = 0.191", "reserve_margin = { 2026 = -0.05",
     "capacity.reserve_margin.2026: expected a number in [0, 1], got -0.05"),
    ("time_ept = \"2014-01-07 18:00\"", "time_ept = \"7 Jan 2014\"", "replays[0].time_ept: expected YYYY-MM-DD"),
    ("[heat]", "[heat]\nscale_x = 1", "heat.scale_x: unknown key"),
    ("backstop_filed = { mw = 6_800.0, year = 2032 }", "backstop_filed = { mw = 6_800.0, yr = 2032 }",
     "range.backstop_filed.yr: unknown key"),
    ("source = \"[S91]; [est] the years and completion\"", "", "capacity.schedule[2].source: missing"),
    ("level_full = 1.35", "level_full = 1.05", "cold.level_full: expected more than cold.level_start (1.1)"),
    ("model = \"pjm\"", "model = \"nuclear\"", "grid.model: expected one of ['classes', 'pjm'], got 'nuclear'"),
    ("name = \"PPL\"\nparent = \"MAAC\"", "name = \"PPL\"\nparent = \"MACC\"",
     "lda.zones[5].parent: unknown LDA 'MACC'; expected RTO, a zone, or an LDA that two zones or more name (['MAAC'])"),
    ("published_cetl_mw = { PPL = { 2026 = 3_205.0 }", "published_cetl_mw = { PPLX = { 2026 = 3_205.0 }",
     "lda.published_cetl_mw.PPLX: unknown zone"),
    ("published_ceto_mw = { WMAAC = { 2026 = 590.0 }", "published_ceto_mw = { WMAAC = { 26 = 590.0 }",
     "lda.published_ceto_mw.WMAAC.26: expected a year"),
    ("published_cetl_mw = { PPL = { 2026 = 3_205.0 }", "published_cetl_mw = { PPL = { 2026 = -1.0 }",
     "lda.published_cetl_mw.PPL.2026: expected a number in [0, 1e+06], got -1.0"),
    ("fleet_split = { MAAC = 0.517, PPL = 0.088 }", "fleet_split = { MAAC = 0.517, DOM = 0.088 }",
     "lda.fleet_split.DOM: expected an LDA or a zone other than DOM"),
    ("fleet_split = { MAAC = 0.517, PPL = 0.088 }", "fleet_split = { MAAC = 1.5 }", "lda.fleet_split.MAAC: expected a number in [0, 1], got 1.5"),
    ("fleet_split = { MAAC = 0.517, PPL = 0.088 }", "fleet_split = { MAAC = 0.05, PPL = 0.088 }",
     "lda.fleet_split.MAAC: 0.05 is less than the shares of the keys inside it (PPL: 0.088)"),
    ("fleet_split = { MAAC = 0.517, PPL = 0.088 }", "fleet_split = { MAAC = 0.6, COMED = 0.5 }",
     "lda.fleet_split: the outermost keys' shares sum to 1.1, expected at most 1"),
    ("fleet_split = { MAAC = 0.517, PPL = 0.088 }", "fleet_split = { MAAC = 0.5, WEST = 0.3, COMED = 0.1, REST = 0.05 }",
     "lda.fleet_split: 0.05 of the share has no zone outside the keys"),
    ("export_limit_mw = { COMED = 50_000.0", "export_limit_mw = { WEST = 50_000.0",
     "lda.export_limit_mw.WEST: expected a zone with an interface (joined_to)"),
    ("export_limit_mw = { COMED = 50_000.0", "export_limit_mw = { COMED = -5.0",
     "lda.export_limit_mw.COMED: expected a number in [0, 1e+06], got -5.0"),
    ("from = \"SWMAAC\"\nto = \"DOM\"", "from = \"SWMAAC\"\nto = \"DOMX\"", "lda.ties[0].to: unknown zone 'DOMX'"),
    ("from = \"SWMAAC\"\nto = \"DOM\"", "from = \"WEST\"\nto = \"DOM\"",
     "lda.ties[0].to: WEST and DOM are already joined"),
    ("from = \"SWMAAC\"\nto = \"DOM\"", "from = \"DOM\"\nto = \"DOM\"", "lda.ties[0].to: a tie joins two zones"),
    ("limit_back_mw = 2_000.0", "limit_back_mw = -1.0", "lda.ties[0].limit_back_mw: expected a number in [0, 1e+06]"),
    ("limit_back_mw = 2_000.0", "limit_bak_mw = 2_000.0", "lda.ties[0].limit_bak_mw: unknown key"),
    ("export_limit_mw = { COMED = 50_000.0", "export_limit_mw = 50_000.0 # { COMED = 50_000.0",
     "lda.export_limit_mw: expected a table zone = MW, got 50000.0"),
    ("from = \"SWMAAC\"\nto = \"DOM\"", "from = \"SWMACC\"\nto = \"DOM\"", "lda.ties[0].from: unknown zone 'SWMACC'"),
    ("source = \"[est] two 500-kV circuits across the Potomac at ~1,000 MW each (surge-impedance loading, [S126])\"",
     "source = \"[est] two circuits\"\n\n[[lda.ties]]\nfrom = \"DOM\"\nto = \"SWMAAC\"\nlimit_mw = 1.0\nsource = \"[est]\"",
     "lda.ties[1].to: DOM and SWMAAC are already joined (joined_to or an earlier tie)"),
    ("reserve_margin = { 2026 = 0.191", "reserve_margin = { 2026 = 1.5",
     "capacity.reserve_margin.2026: expected a number in [0, 1], got 1.5"),
    ("name = \"REST\"\nload_share", "name = \"WEST\"\nload_share", "zones: the PJM model's outlook zones are "
                                                                  "['DOM', 'REST']"),
])
def test_bad_keys_name_the_file_and_the_field(tmp_path, old, new, where):
    p = _copy(tmp_path, (old, new))
    with pytest.raises(FileFormatError) as exc:
        read_grid_description(p)
    assert str(p) in str(exc.value) and where in str(exc.value)


def test_a_bad_copy_is_a_clear_error_on_the_command_line(tmp_path, capsys):
    p = _copy(tmp_path, ("efor = 0.018", "efor = \"low\""))
    assert main(["system", "describe", str(p), "--json"]) != 0
    err = capsys.readouterr().err
    assert "classes[0].efor" in err and "Traceback" not in err


def test_run_and_serve_take_a_copy(tmp_path):
    """`gigawatt run my_pjm.toml`: the PJM model with the copy's figures, named by it; `gigawatt serve` too."""
    from gigawatt.web.server import load_engine

    p = _copy(tmp_path, ("name = \"pjm\"", "name = \"my-pjm\""), ("mw = 8_184.0", "mw = 9_184.0"))
    out = tmp_path / "o"
    assert main(["run", str(p), "--out", str(out), "--samples", "4", "--first-year", "2027", "--last-year", "2027",
                 "--policies", "firm"]) == 0
    r = json.loads((out / "results.json").read_text())
    assert r["system"] == "my-pjm" and r["scenario"]["path"] == str(p)
    assert r["scenario"]["assumptions"]["demand_response_mw"] == 9_184.0
    assert r["results"][0]["peak_mw"] == 160_000.0 and r["results"][0]["dc_load_mw"] == 15_600.0
    engine = load_engine(str(p))
    assert engine.outlook.model.name == "my-pjm" and engine.outlook.demand_response_mw == 9_184.0


def test_any_field_of_another_type_or_missing_is_an_input_error_not_a_crash():
    """Every table, array and value of pjm.toml replaced by a string, number, list, table or boolean, or left
    out: the reader answers with an InputError (naming the field), never another exception."""
    import copy
    import tomllib

    from gigawatt.errors import InputError
    from gigawatt.systems.pjm_description import parse_pjm_model

    doc = tomllib.loads(TEXT)

    def paths(x, p=()):
        if p:
            yield p
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
        for k, v in items:
            yield from paths(v, p + (k,))

    crashes = []
    for p in paths(doc):
        for odd in ("x", 1, [], {}, True, -1e9, None):
            d = copy.deepcopy(doc)
            t = d
            for k in p[:-1]:
                t = t[k]
            if odd is None and not isinstance(t, dict):
                continue
            if odd is None:
                del t[p[-1]]
            else:
                t[p[-1]] = odd
            try:
                parse_pjm_model(d)
            except InputError:
                pass
            except Exception as exc:  # noqa: BLE001 - what the test looks for
                crashes.append((p, odd, repr(exc)))
    assert crashes == []


def test_a_published_cetl_in_a_copy_is_the_ldas_import_limit(tmp_path):
    """PPL's published CETL (3,205 MW in 2026/27, held for later years) is PPL's import limit in the LDA set; a
    copy that gives another, or one for EMAAC, moves exactly those limits; a later delivery year's value
    replaces it from that year on."""
    from gigawatt.systems import pjm_zones as Z

    m0 = embedded()
    assert Z.derived_import_limits_mw(m0, 2026)["PPL"] == 3_205.0
    m = read_grid_description(_copy(tmp_path, ("published_cetl_mw = { PPL = { 2026 = 3_205.0 }, WMAAC = { 2026 = 2_715.0 } }",
                                               "published_cetl_mw = { PPL = { 2026 = 3_000.0, 2029 = 4_500.0 }, "
                                               "EMAAC = { 2027 = 9_000.0 }, WMAAC = { 2026 = 2_715.0 } }")))
    a, b, c = (Z.derived_import_limits_mw(m, y) for y in (2026, 2028, 2031))
    assert (a["PPL"], b["PPL"], c["PPL"]) == (3_000.0, 3_000.0, 4_500.0)
    assert a["EMAAC"] == pytest.approx(m0.fitted_ceto_mw["EMAAC"] * 1.15) and b["EMAAC"] == c["EMAAC"] == 9_000.0
    assert "[secondary] PJM's CETL for LDA EMAAC in 2027/28" in Z.import_limit_source("EMAAC", False, 2030, m)
    base = Z.derived_import_limits_mw(m0, 2031)
    assert {z: v for z, v in c.items() if z not in ("PPL", "EMAAC")} == {z: v for z, v in base.items()
                                                                          if z not in ("PPL", "EMAAC")}
