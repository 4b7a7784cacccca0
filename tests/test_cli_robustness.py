"""The command line and checkpoints under hostile input (issue 19): exit status 2 and a message, never a
traceback, a hang or NaN in JSON; damaged checkpoint chunks are detected, reported and recomputed.

Every reproducer of the issue is a regression test here; a property-based fuzz runs ``gigawatt adequacy``
in-process on argument lists of hostile numbers. Tiny systems and a few samples keep each test fast.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gigawatt import SequentialMonteCarlo, systems
from gigawatt.cli import main
from gigawatt.execution import LocalExecutor, accumulators_equal, run_samples, simulate
from gigawatt.execution.checkpoint import ChunkCheckpoint

ROOT = Path(__file__).resolve().parents[1]
SEED = 5


def _strict(text: str):
    """``text`` parsed as strict JSON: NaN, Infinity and -Infinity raise."""
    def refuse(token):
        raise ValueError(f"non-standard JSON constant {token}")

    return json.loads(text, parse_constant=refuse)


def _cli(capsys, argv) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit status, stdout, stderr with whitespace collapsed), never a traceback."""
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err and "Traceback" not in cap.out
    return rc, cap.out, " ".join(cap.err.split())


def _usage_error(capsys, argv, *needles) -> str:
    rc, out, err = _cli(capsys, argv)
    assert rc == 2, (argv, rc, err)
    assert out == ""
    for n in needles:
        assert n in err, (n, err)
    return err


# ------------------------------------------------------------------------------------ bounds of options
def test_cli_limits_match_the_readers():
    from gigawatt.cli import _common
    from gigawatt.cli.run import STUDY_YEARS
    from gigawatt.io import _fields
    from gigawatt.outlook import FIRST_STUDY_YEAR, LAST_STUDY_YEAR

    assert (_common.MAX_SAMPLES, _common.MAX_SEED) == (_fields.MAX_SAMPLES, _fields.MAX_SEED)
    assert STUDY_YEARS == (FIRST_STUDY_YEAR, LAST_STUDY_YEAR)


@pytest.mark.parametrize("samples", ["4611686018427387904", "9223372036854775808", "1000001", "0", "-3"])
def test_adequacy_samples_out_of_range(capsys, samples):
    # 4611686018427387904 used to allocate 9 GB and hang
    _usage_error(capsys, ["adequacy", "ieee-rts79", "--samples", samples], "--samples")


@pytest.mark.parametrize("cmd", [["capacity-value", "--system", "ieee-rts79", "--battery-mw", "10"],
                                 ["headroom", "--system", "ieee-rts79"]])
def test_other_commands_bound_samples_and_seed(capsys, cmd):
    _usage_error(capsys, cmd + ["--samples", "4611686018427387904"], "--samples")
    _usage_error(capsys, cmd + ["--samples", "0"], "--samples")
    _usage_error(capsys, cmd + ["--seed", "-1"], "--seed")
    _usage_error(capsys, cmd + ["--seed", str(2**63)], "--seed")


@pytest.mark.parametrize("seed", [str(2**63), "-1", "1e3", "nan"])
def test_adequacy_seed_out_of_range(capsys, seed):
    _usage_error(capsys, ["adequacy", "ieee-rts79", "--samples", "2", "--seed", seed], "--seed")


@pytest.mark.parametrize("mw", ["1e304", "-1e304", "1e306", "nan", "inf", "-inf", "10000001"])
def test_adequacy_add_load_must_be_finite_and_bounded(capsys, mw):
    # 1e304 used to abort the process after printing its JSON (a histogram index out of bounds)
    _usage_error(capsys, ["adequacy", "ieee-rts79", "--samples", "2", "--add-load-mw", mw],
                 "--add-load-mw", "expected a finite number of MW in [-1e7, 1e7]")


def test_resource_options_refuse_nan(capsys):
    _usage_error(capsys, ["capacity-value", "--system", "ieee-rts79", "--battery-mw", "nan"], "--battery-mw")
    _usage_error(capsys, ["headroom", "--system", "ieee-rts79", "--utilisation", "inf"], "--utilisation")
    _usage_error(capsys, ["headroom", "--system", "ieee-rts79", "--max-load-mw", "nan"], "--max-load-mw")


@pytest.mark.parametrize("argv", [["--samples", str(2**63)], ["--samples", "0"], ["--seed", str(2**63)],
                                  ["--seed", "-1"], ["--first-year", "0"], ["--last-year", "2000000000"]])
def test_run_options_out_of_range(capsys, tmp_path, argv):
    # --samples 2**63 used to end in a traceback
    out = tmp_path / "out"
    _usage_error(capsys, ["run", "--out", out, *argv], argv[0])
    assert not out.exists()


@pytest.mark.parametrize("argv, needle", [
    (["trace", "--hours", "1e9"], "--hours/--dt"), (["trace", "--dt", "1e-300"], "--hours/--dt"),
    (["smooth", "--hours", "1e9"], "--hours/--dt"), (["frequency", "--dt", "1e-9"], "--duration/--dt"),
    (["frequency", "--duration", "1e12"], "--duration/--dt"), (["frequency", "--duration", "nan"], "--duration"),
    (["trace", "--seed", str(2**63)], "--seed"), (["trace", "--seed", "-1"], "--seed"),
])
def test_dynamics_steps_and_seed_are_bounded(capsys, argv, needle):
    # --hours 1e9 or --dt 1e-300 used to hang allocating; --duration 1e12 raised numpy's MemoryError
    _usage_error(capsys, ["dynamics", *argv, "--json"], needle)


# ------------------------------------------------------------------------------------ --out and SYSTEM
def test_run_out_is_a_file(capsys, tmp_path):
    f = tmp_path / "results"
    f.write_text("keep me")
    err = _usage_error(capsys, ["run", "--out", f, "--samples", "2"], "--out", "is a file, not a folder")
    assert "Traceback" not in err and f.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_run_out_under_a_file(capsys, tmp_path):
    f = tmp_path / "a-file"
    f.write_text("")
    _usage_error(capsys, ["run", "--out", f / "sub" / "dir", "--samples", "2"], "--out",
                 f"{str(f)!r} is a file, so no folder can be made under it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_run_out_with_an_output_name_taken_by_a_folder(capsys, tmp_path):
    (tmp_path / "results.json").mkdir()
    _usage_error(capsys, ["run", "--out", tmp_path, "--samples", "2"], "results.json", "is a folder")


@pytest.mark.parametrize("cmd", [["adequacy"], ["headroom", "--system"], ["capacity-value", "--battery-mw", "5",
                                                                          "--system"]])
def test_system_that_is_a_folder_or_a_device(capsys, tmp_path, cmd):
    for spec, what in ((tmp_path, "is a folder"), ("/dev/null", "is not a regular file")):
        err = _usage_error(capsys, [*cmd, spec, "--samples", "2"], what)
        assert "no such file" not in err


def test_scenario_of_the_other_kind_is_named(capsys, tmp_path):
    err = _usage_error(capsys, ["adequacy", ROOT / "examples" / "outlook_pjm_fast_growth.toml", "--samples", "2"],
                       "looks like an outlook scenario", "gigawatt run")
    assert "outlook_pjm_fast_growth.toml" in err
    _usage_error(capsys, ["run", ROOT / "examples" / "datacenters_rts79.toml", "--out", tmp_path / "o"],
                 "looks like a data-center scenario ([system], [[sites]])", "gigawatt adequacy")
    assert not (tmp_path / "o").exists()


def test_scenario_region_error_names_the_file(capsys, tmp_path):
    bad = tmp_path / "bad-region.toml"
    bad.write_text((ROOT / "examples" / "datacenters_rts79.toml").read_text().replace('region = "RTS"',
                                                                                      'region = "Nowhere"'))
    err = _usage_error(capsys, ["adequacy", bad, "--samples", "2"], f"{bad}: sites[0].region", "'Nowhere'")
    assert err.startswith("error: ")


def test_messages_keep_square_brackets(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[system]\npras = 5\n")
    _usage_error(capsys, ["adequacy", bad], f"{bad}: system.pras")


# ------------------------------------------------------------------------------------ strict JSON
def test_one_sample_json_is_strict_and_keeps_the_keys(capsys):
    rc, out, err = _cli(capsys, ["adequacy", "ieee-rts79", "--samples", "1", "--json"])
    assert rc == 0
    d = _strict(out)
    for key in ("lole_d", "lolh_h", "eue_mwh", "neue_ppm"):
        assert set(d[key]) == {"mean", "stderr"} and d[key]["stderr"] is None
        assert math.isfinite(d[key]["mean"])
    assert d["regions"]["RTS"]["lole_d"]["stderr"] is None
    assert "2 samples" in d["notes"][0]


def test_strict_json_helpers():
    from gigawatt._files import dumps_strict, strict_json

    obj = {"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], "c": np.float64("nan"),
           "d": np.arange(2), "e": (np.int64(3), np.float32("inf")), "f": {"g": None}}
    assert strict_json(obj) == {"a": None, "b": [None, None, 1.5], "c": None, "d": [0, 1], "e": [3, None],
                                "f": {"g": None}}
    assert _strict(dumps_strict(obj))["a"] is None
    with pytest.raises(TypeError):
        dumps_strict({"x": object()})


def test_checkpoint_summary_is_strict_json(capsys, tmp_path):
    rc, out, _ = _cli(capsys, ["adequacy", "ieee-rts79", "--samples", "1", "--json", "--checkpoint-dir", tmp_path])
    assert rc == 0
    (summary,) = tmp_path.glob("run-*/summary.json")
    s = _strict(summary.read_text())
    assert s["lole_d"]["stderr"] is None and s["system"] == "ieee-rts79"
    for manifest in tmp_path.glob("run-*/manifest.json"):
        _strict(manifest.read_text())


# ------------------------------------------------------------------------------------ gigawatt run outputs
FAST_OUTLOOK = """name = "fast"
[run]
samples = 2
first_year = 2026
last_year = 2026
[policies]
compare = ["firm"]
[load]
weather_years = [2025]
"""


def test_run_writes_strict_json_and_cleans_stale_temporaries(capsys, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".results.json.abc123.tmp", out / ".report.html.def456.tmp", out / ".tmp-x1y2"]
    fresh = out / ".results.json.fresh.tmp"  # may belong to a run writing now: left alone
    for p in stale + [fresh]:
        p.write_text("half a file")
    old = time.time() - 3600
    for p in stale:
        os.utime(p, (old, old))
    scenario = tmp_path / "fast.toml"
    scenario.write_text(FAST_OUTLOOK)
    rc, _, err = _cli(capsys, ["run", scenario, "--out", out])
    assert rc == 0, err
    res = _strict((out / "results.json").read_text())
    assert res["samples"] == 2 and [r["year"] for r in res["results"]] == [2026]
    assert "<svg" in (out / "report.html").read_text()
    assert sorted(p.name for p in out.iterdir()) == [".results.json.fresh.tmp", "report.html", "results.json"]


def test_run_outputs_never_mix_two_runs(tmp_path, monkeypatch):
    """Whenever a write stops, results.json is either absent or beside the report of the same run."""
    import gigawatt._files as files
    from gigawatt.cli.run import write_outputs

    real_replace = os.replace
    for stop_at in (0, 1, 2):
        out = tmp_path / f"o{stop_at}"
        write_outputs(out, {"run": "old", "x": 1.0}, "<p>old</p>")
        calls = []

        def replace(src, dst, _calls=calls, _stop=stop_at):
            if len(_calls) == _stop:
                raise KeyboardInterrupt("killed")
            _calls.append(dst)
            real_replace(src, dst)

        monkeypatch.setattr(files.os, "replace", replace)
        if stop_at < 2:
            with pytest.raises(KeyboardInterrupt):
                write_outputs(out, {"run": "new", "x": float("nan")}, "<p>new</p>")
        else:
            write_outputs(out, {"run": "new", "x": float("nan")}, "<p>new</p>")
        monkeypatch.setattr(files.os, "replace", real_replace)
        report = (out / "report.html").read_text()
        if (out / "results.json").exists():
            run = _strict((out / "results.json").read_text())["run"]
            assert f"<p>{run}</p>" == report
        assert not list(out.glob(".*.tmp")), "temporaries of the stopped write are removed"
    assert _strict((tmp_path / "o2" / "results.json").read_text()) == {"run": "new", "x": None}


# ------------------------------------------------------------------------------------ checkpoints
class CountingExecutor(LocalExecutor):
    """Records which chunks it was asked to compute."""

    def __init__(self):
        self.asked: list[tuple[int, int]] = []

    def map_chunks(self, prep, seed, chunks, threads, dense):
        for acc in super().map_chunks(prep, seed, chunks, threads, dense):
            self.asked.append((acc.sample0, acc.samples))
            yield acc


@pytest.fixture(scope="module")
def rts79():
    return systems.ieee_rts79()


METHOD = SequentialMonteCarlo(samples=40, seed=SEED, chunk_size=10, threads=1)


@pytest.fixture(scope="module")
def reference(rts79):
    return simulate(rts79, SequentialMonteCarlo(samples=40, seed=SEED, chunk_size=40, threads=1))


def _sha_file(chunk: Path) -> Path:
    return chunk.with_name(chunk.name + ".sha256")


def _rewrite(chunk: Path, data: bytes, update_checksum: bool) -> None:
    chunk.write_bytes(data)
    if update_checksum:  # damage that a checksum cannot see: the content checks must
        _sha_file(chunk).write_text(f"{hashlib.sha256(data).hexdigest()}  {chunk.name}\n")


def _without_array(data: bytes, name: str) -> bytes:
    with np.load(io.BytesIO(data)) as z:
        arrays = {k: z[k] for k in z.files if k != name}
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def _with_array(data: bytes, name: str, value) -> bytes:
    with np.load(io.BytesIO(data)) as z:
        arrays = {k: z[k] for k in z.files}
    arrays[name] = value
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def _damaged_directory(data: bytes) -> bytes:
    """The zip's central directory overwritten (the members' bytes intact)."""
    end = data.rfind(b"PK\x05\x06")
    start = data.rfind(b"PK\x01\x02", 0, end)
    assert 0 < start < end
    return data[:start] + b"\xff" * (end - start) + data[end:]


DAMAGE = {
    "empty": lambda d: (b"", False),
    "truncated": lambda d: (d[: len(d) // 2], False),
    "truncated, checksum updated": lambda d: (d[: len(d) // 2], True),
    "one byte flipped": lambda d: (d[:100] + bytes([d[100] ^ 0xFF]) + d[101:], False),
    "zip directory damaged": lambda d: (_damaged_directory(d), False),
    "zip directory damaged, checksum updated": lambda d: (_damaged_directory(d), True),
    "array missing": lambda d: (_without_array(d, "eue"), True),
    "per-period array missing": lambda d: (_without_array(d, "energy_hist"), True),
    "per-sample array too short": lambda d: (_with_array(d, "lolp", np.zeros(3, np.int64)), True),
    "per-period array of another shape": lambda d: (_with_array(d, "short_t", np.zeros(5, np.int64)), True),
    "wrong dtype": lambda d: (_with_array(d, "eue", np.zeros(10, np.float32)), True),
    "extra array": lambda d: (_with_array(d, "flow_it", np.zeros((1, 8736), np.int64)), True),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_chunk_is_reported_and_recomputed(rts79, reference, tmp_path, caplog, kind):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path)
    (chunk,) = tmp_path.glob("run-*/chunk-10-10.npz")
    data, update = DAMAGE[kind](chunk.read_bytes())
    _rewrite(chunk, data, update)
    ex = CountingExecutor()
    info: dict = {}
    with caplog.at_level(logging.WARNING, logger="gigawatt.execution.checkpoint"):
        acc = run_samples(rts79, METHOD, executor=ex, checkpoint_dir=tmp_path, info=info)
    assert accumulators_equal(acc, reference)  # bit-identical to an uninterrupted run
    assert ex.asked == [(10, 10)]
    assert info["rejected_chunks"] == [str(chunk)] and info["reused_samples"] == 30
    assert str(chunk) in caplog.text and "computed again" in caplog.text
    # the recomputed chunk was saved whole: a third run computes nothing and rejects nothing
    third, info3 = CountingExecutor(), {}
    assert accumulators_equal(run_samples(rts79, METHOD, executor=third, checkpoint_dir=tmp_path, info=info3),
                              reference)
    assert third.asked == [] and info3["rejected_chunks"] == []


def test_chunk_without_checksum_is_not_trusted(rts79, reference, tmp_path):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path)
    (chunk,) = tmp_path.glob("run-*/chunk-20-10.npz")
    _sha_file(chunk).unlink()
    ex = CountingExecutor()
    assert accumulators_equal(run_samples(rts79, METHOD, executor=ex, checkpoint_dir=tmp_path), reference)
    assert ex.asked == [(20, 10)]


def test_chunks_hold_every_array_and_a_checksum(rts79, tmp_path):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path, dense=True)
    chunks = sorted(tmp_path.glob("run-*/chunk-*.npz"))
    assert len(chunks) == 4
    for c in chunks:
        digest, name = _sha_file(c).read_text().split()
        assert name == c.name and digest == hashlib.sha256(c.read_bytes()).hexdigest()
        with zipfile.ZipFile(c) as z:
            assert z.testzip() is None
    # a dense run's chunks pass the schema (flow, surplus and storage sums included)
    ex, info = CountingExecutor(), {}
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path, dense=True, executor=ex, info=info)
    assert ex.asked == [] and info["rejected_chunks"] == []


def test_checkpoint_without_schema_checks_arrays_and_lengths(rts79, tmp_path):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path)
    (run_dir,) = tmp_path.glob("run-*")
    key = json.loads((run_dir / "manifest.json").read_text())["key"]
    store = ChunkCheckpoint(tmp_path, key)
    assert store.load(0, 10) is not None
    chunk = run_dir / "chunk-10-10.npz"
    _rewrite(chunk, _with_array(chunk.read_bytes(), "short_t", np.zeros(3, np.int64)), True)
    assert store.load(10, 10) is None and not chunk.exists()  # disagrees with chunk 0: removed
    chunk = run_dir / "chunk-20-10.npz"
    _rewrite(chunk, _without_array(chunk.read_bytes(), "lold"), True)
    assert store.load(20, 10) is None
    assert [p.name for p, _ in store.rejected] == ["chunk-10-10.npz", "chunk-20-10.npz"]
    assert store.finished() == [(0, 10), (30, 10)]


def test_rerun_after_a_kill_with_temporaries_and_orphans(rts79, reference, tmp_path):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path)
    (run_dir,) = tmp_path.glob("run-*")
    # what a SIGKILL leaves: half-written temporaries (old and fresh), a checksum written before its chunk
    old_tmp, fresh_tmp = run_dir / ".chunk-30-10.npz.k1.tmp", run_dir / ".chunk-20-10.npz.sha256.k2.tmp"
    old_tmp.write_bytes(b"half")
    fresh_tmp.write_bytes(b"ha")
    long_ago = time.time() - 3600
    os.utime(old_tmp, (long_ago, long_ago))
    (run_dir / "chunk-30-10.npz").unlink()
    (run_dir / "chunk-0-10.npz").write_bytes(b"")
    ex, info = CountingExecutor(), {}
    assert accumulators_equal(run_samples(rts79, METHOD, executor=ex, checkpoint_dir=tmp_path, info=info),
                              reference)
    assert sorted(ex.asked) == [(0, 10), (30, 10)]
    assert not old_tmp.exists() and fresh_tmp.exists()  # a fresh one may belong to a run still writing
    assert info["rejected_chunks"] == [str(run_dir / "chunk-0-10.npz")]


def test_damaged_manifest_is_rewritten(rts79, reference, tmp_path):
    run_samples(rts79, METHOD, checkpoint_dir=tmp_path)
    (manifest,) = tmp_path.glob("run-*/manifest.json")
    manifest.write_bytes(b"\xff\xfe{")
    ex = CountingExecutor()
    assert accumulators_equal(run_samples(rts79, METHOD, executor=ex, checkpoint_dir=tmp_path), reference)
    assert ex.asked == [] and _strict(manifest.read_text())["samples"] == 40


def test_cli_recomputes_an_empty_chunk(capsys, tmp_path):
    """The issue's case: a 0-byte chunk used to raise EOFError until it was deleted by hand."""
    argv = ["adequacy", "ieee-rts79", "--samples", "30", "--chunk-size", "10", "--threads", "1", "--json",
            "--checkpoint-dir", tmp_path]
    rc, first, _ = _cli(capsys, argv)
    assert rc == 0
    (chunk,) = tmp_path.glob("run-*/chunk-10-10.npz")
    chunk.write_bytes(b"")
    rc, again, err = _cli(capsys, argv)
    assert rc == 0
    assert "20 samples reused, 10 computed; 1 damaged chunk file removed and recomputed" in err
    strip = lambda d: {k: v for k, v in d.items() if k != "wall_s"}  # noqa: E731
    assert strip(_strict(again)) == strip(_strict(first))


# ------------------------------------------------------------------------------------ fuzz
#: (values the option accepts, values it must refuse with exit status 2); drawn about half and half
OPTIONS = {
    "--samples": (["1", "2", "3", " 2"], ["0", "-1", "1000001", str(2**62), str(2**63), "9" * 40, "nan", "inf",
                                          "1e3", "1.5", "", "abc", "0x10"]),
    "--seed": (["0", "1", "7", str(2**63 - 1)], ["-1", str(2**63), str(-(2**63)), "9" * 40, "nan", "inf", "1e3",
                                                 "1.5", "", "abc"]),
    "--add-load-mw": (["0", "50", "-50", "1e7", "-1e7", "1e-300", "5e-324", "1_000", "-0"],
                      ["10000000.5", "1e304", "-1e304", "1e308", "1e309", "nan", "-nan", "inf", "-inf", "Infinity",
                       "abc", "", "0x1p3"]),
    "--chunk-size": (["1", "2", "3", "1000000"], ["0", "-1", "1000001", str(2**63), "nan", "1.5", ""]),
    "--threads": (["1", "2", "1024"], ["0", "-1", "1025", str(2**63), "inf", ""]),
}


def _value(option: str):
    ok, bad = OPTIONS[option]
    return st.one_of(st.sampled_from(ok), st.sampled_from(bad))


@st.composite
def adequacy_argv(draw):
    """``adequacy SYSTEM --samples N`` (always a few samples at most when valid) and up to four more options."""
    argv = ["adequacy", draw(st.sampled_from(["ieee-rts79"] * 8 + ["/dev/null", ".", "no-such-system"]))]
    argv += ["--samples", draw(st.sampled_from(OPTIONS["--samples"][0] * 3 + OPTIONS["--samples"][1]))]
    others = sorted(set(OPTIONS) - {"--samples"})
    for opt in draw(st.lists(st.sampled_from(others), unique=True, min_size=1, max_size=4)):
        argv += [opt, draw(_value(opt))]
    if draw(st.booleans()):
        argv.append("--json")
    return argv


@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=adequacy_argv())
@example(argv=["adequacy", "ieee-rts79", "--samples", "2", "--add-load-mw", "1e7", "--seed", str(2**63 - 1), "--json"])
@example(argv=["adequacy", "ieee-rts79", "--samples", "2", "--add-load-mw", "-1e7", "--json"])
@example(argv=["adequacy", "ieee-rts79", "--samples", "3", "--chunk-size", "1000000", "--threads", "1024", "--json"])
@example(argv=["adequacy", "ieee-rts79", "--samples", "1", "--add-load-mw", "5e-324", "--seed", "0", "--json"])
def test_fuzz_adequacy_arguments(capsys, argv):
    rc, out, err = _cli(capsys, argv)
    assert rc in (0, 2), (argv, rc, err)
    if rc == 2:
        assert err, argv  # a message says why
    elif "--json" in argv:
        d = _strict(out)
        assert all(math.isfinite(d[k]["mean"]) for k in ("lole_d", "lolh_h", "eue_mwh"))
