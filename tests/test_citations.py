"""Every citation in the repository resolves to docs/sources.md (tools/cite.py), and the rewrite of
old-style citations is exact and idempotent."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("cite", ROOT / "tools" / "cite.py")
cite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cite)

OLD = "FAC" + "TS"  # spelled apart so this file does not hold an old-style citation itself


def test_every_citation_resolves():
    ids, groups = cite.defined()
    found = [msg for p in cite.files() for msg in cite.problems(p, ids, groups)]
    assert found == []


def test_sources_defines_ids_and_groups():
    ids, groups = cite.defined()
    assert {1, 55, 78, 101, 126} <= ids
    assert {f"F{n}" for n in range(1, 8)} | {f"P{n}" for n in range(1, 11)} == groups


@pytest.mark.parametrize("old, new", [
    (f"(PJM 2025 Load Forecast Report; {OLD}_PJM s7 [S55])", "(PJM 2025 Load Forecast Report; [S55])"),
    (f"({OLD}_PJM s3 [S16],[S17], secondary)", "([S16],[S17], secondary)"),
    (f"({OLD}_PJM s10 [S44], [S74]-[S76])", "([S44], [S74]-[S76])"),
    (f"# source: {OLD}.md s4, H100 SXM 700 W", "# source: sources.md F4, H100 SXM 700 W"),
    (f"({OLD}.md section 1)", "(sources.md F1)"),
    (f"({OLD}.md sections 2 and 5)", "(sources.md F2, F5)"),
    (f"(# source: {OLD}.md s1/s5, 168 Megapacks", "(# source: sources.md F1, F5, 168 Megapacks"),
    (f"({OLD}_PJM s2-s3)", "(sources.md P2, P3)"),
    (f"({OLD}_PJM s1, derived)", "(sources.md P1, derived)"),
    (f"(table: {OLD} s4)", "(table: sources.md F4)"),
    (f"summarised in ``shared/{OLD}.md`` section 3", "summarised in sources.md F3"),
    (f"see ``../shared/{OLD}_PJM.md`` section 7", "see sources.md P7"),
    (f"source: /wo" f"rk/shared/{OLD}.md section 5", "source: sources.md F5"),
    (f"({OLD}_PJM s9 [S64]); all hours (s9 [S42])", "([S64]); all hours ([S42])"),
    (f"no CETL ({OLD}_PJM s8); Aurora (s7)", "no CETL (sources.md P8); Aurora (sources.md P7)"),
    (f"[est, not in {OLD}.md]", "[est, not in sources.md]"),
    (f"offers ({OLD}.md s1); Megapack figures s5\")", "offers (sources.md F1); Megapack figures sources.md F5\")"),
    (f"({OLD}.md s1) and ({OLD}_PJM s7); see s5)", "(sources.md F1) and (sources.md P7); see s5)"),  # ambiguous: kept
    (f"by default, {OLD}.md\ns1): site", "by default, sources.md\nF1): site"),  # wrapped: line kept
])
def test_rewrite(old, new):
    assert cite.rewrite_text(old) == new
    assert cite.rewrite_text(new) == new  # idempotent


def test_check_finds_what_does_not_resolve(tmp_path):
    ids, groups = cite.defined()
    bad = tmp_path / "bad.md"
    missing_id, missing_group = "[S" + "999]", "sources.md F" + "9"
    bad.write_text(f"a {missing_id} b\nc {missing_group}\nd {OLD}.md s4\n[x](../../../../../../etc/passwd)\n"
                   "ok [S55], [S74]-[S76], sources.md P7\n", encoding="utf-8")
    msgs = cite.problems(bad, ids, groups)
    assert [m.split(":")[1] for m in msgs] == ["1", "2", "3", "4"]
    assert missing_id in msgs[0] and "F9" in msgs[1]


def test_shared_documents_flagged_shared_data_allowed(tmp_path):
    ids, groups = cite.defined()
    f = tmp_path / "d.md"
    f.write_text("gigawatt adequacy ../shared/data/pras/rts.pras --samples 10\n"
                 "see ../shared/data/eia930/README" + ".md\n", encoding="utf-8")
    assert [m.split(":")[1] for m in cite.problems(f, ids, groups)] == ["2"]


def test_cli_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text("# source: [S55]\n", encoding="utf-8")
    assert cite.main(["--check", str(good)]) == 0
    old = tmp_path / "old.py"
    old.write_text(f"# source: {OLD}_PJM s7 [S55]\n", encoding="utf-8")
    assert cite.main(["--check", str(old)]) == 1
    assert cite.main(["--rewrite", str(old)]) == 0
    assert old.read_text(encoding="utf-8") == "# source: [S55]\n"
