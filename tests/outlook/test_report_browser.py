"""The HTML report in a real headless browser (Chromium): loads without errors and every chart renders.

Chromium comes from Debian's ``chromium`` package (``make test`` installs it when run as root).
"""

import re
import shutil
import subprocess

import pytest

from gigawatt.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=5000"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    assert CHROMIUM, "Chromium is needed for the report test: apt-get install chromium (make test does this as root)"
    out = tmp_path_factory.mktemp("report")
    assert main(["run", "--out", str(out), "--samples", "6", "--first-year", "2026", "--last-year", "2028"]) == 0
    return out / "report.html"


def test_report_loads_and_every_chart_renders(report, tmp_path):
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body, "no <body> in the rendered page"
    attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', body.group(1)))
    assert attrs.get("data-errors") == "0", attrs
    assert int(attrs["data-charts"]) >= 4
    assert attrs["data-charts-rendered"] == attrs["data-charts"], attrs
    # the decision leads: the gap per year and each policy's verdict, before the detail
    assert 0 < dom.index("id=\"decision\"") < dom.index("id=\"detail\""), "the decision is not first"
    table = dom[dom.index("id=\"decision-table\""):]
    table = table[:table.index("</table>")]
    assert len(re.findall(r'data-verdict="(meets|fails|undecided)"', table)) == 3 * 5  # 3 years x 5 policies
    gaps = re.findall(r"<td class=\"gap\">([^<]*)</td>", table)
    assert len(gaps) == 3 and all(g.strip() for g in gaps), gaps


def test_report_screenshot_is_not_blank(report, tmp_path):
    png = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p2'}", f"--screenshot={png}",
                    "--window-size=1100,1400", report.as_uri()], capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page with charts, not a blank one
