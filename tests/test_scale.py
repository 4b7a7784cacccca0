"""Scale-out: results independent of chunking and Dask workers; interrupted runs resume exactly."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigawatt import EventStats, SequentialMonteCarlo, Shortfall, assess, systems
from gigawatt.cli import main
from gigawatt.execution import LocalExecutor, StreamingReducer, accumulators_equal, run_samples
from gigawatt.execution import simulate
from gigawatt.methods.sequential import Accumulators, prepare, run_chunk

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = 300
SEED = 7


def _numbers(summary: dict) -> dict:
    """The CLI summary without its wall-clock time (the only field allowed to differ between runs)."""
    return {k: v for k, v in summary.items() if k != "wall_s"}


@pytest.fixture(scope="module")
def rts79():
    return systems.ieee_rts79()


@pytest.fixture(scope="module")
def reference(rts79):
    """Single process, one chunk, one thread."""
    return simulate(rts79, SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=1000, threads=1))


@pytest.fixture(scope="module")
def dask2():
    from gigawatt.execution import DaskExecutor

    with DaskExecutor(workers=2) as ex:
        yield ex


class CountingExecutor(LocalExecutor):
    """Records which chunks it was asked to compute."""

    def __init__(self, fail_after: int | None = None):
        self.asked: list[tuple[int, int]] = []
        self.fail_after = fail_after

    def map_chunks(self, prep, seed, chunks, threads, dense):
        for k, acc in enumerate(super().map_chunks(prep, seed, chunks, threads, dense)):
            if self.fail_after is not None and k == self.fail_after:
                raise KeyboardInterrupt("simulated kill")
            self.asked.append((acc.sample0, acc.samples))
            yield acc


def test_reference_is_not_trivial(reference):
    # IEEE RTS-79 at its published load has LOLE of order 1 day/yr: shortfalls in many samples
    assert reference.samples == SAMPLES
    assert 0.2 < (reference.lold > 0).mean() < 1.0
    assert reference.eue.sum() > 0 and reference.short_t.sum() == reference.lolp.sum()


@pytest.mark.parametrize("chunk_size", [1, 7, 1000])
def test_chunk_sizes_give_identical_results(rts79, reference, chunk_size):
    acc = simulate(rts79, SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=chunk_size, threads=2))
    assert accumulators_equal(acc, reference)
    np.testing.assert_array_equal(acc.eue, reference.eue)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.sets(st.integers(1, 59), max_size=12), order=st.randoms(use_true_random=False))
def test_any_partition_in_any_order_gives_identical_results(rts79, cuts, order):
    bounds = [0, *sorted(cuts), 60]
    chunks = [(a, b - a) for a, b in zip(bounds, bounds[1:])]
    order.shuffle(chunks)
    method = SequentialMonteCarlo(samples=60, seed=SEED, threads=1)
    whole = simulate(rts79, method)
    assert accumulators_equal(run_samples(rts79, method, chunks=chunks), whole)


def test_streaming_reduction_in_any_order_equals_merge(rts79, reference):
    prep = prepare(rts79)
    parts = [run_chunk(prep, SEED, s0, n, 1, False) for s0, n in [(0, 50), (50, 13), (63, 200), (263, 37)]]
    assert accumulators_equal(Accumulators.merge(parts), reference)
    red = StreamingReducer(0, SAMPLES)
    for p in parts[::-1]:
        red.add(p)
    assert accumulators_equal(red.result(), reference)
    red = StreamingReducer(0, SAMPLES)
    red.add(parts[0])
    with pytest.raises(ValueError, match="overlaps"):
        red.add(parts[0])
    with pytest.raises(ValueError, match="250 of 300 samples"):
        red.result()


def test_two_dask_workers_equal_single_process_bit_for_bit(rts79, reference, dask2):
    seen = []
    method = SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=25, executor=dask2,
                                  progress=lambda done, total: seen.append((done, total)))
    acc = simulate(rts79, method)
    assert accumulators_equal(acc, reference)
    # progress from the cluster: one call per chunk, counting up to the total
    assert [d for d, _ in seen] == list(range(25, SAMPLES + 1, 25)) and {t for _, t in seen} == {SAMPLES}
    method = dataclasses.replace(method, progress=None)
    # through assess: the ShortfallResult numbers are identical too
    single = assess(rts79, SequentialMonteCarlo(samples=SAMPLES, seed=SEED), Shortfall(), EventStats())
    dist = assess(rts79, method, Shortfall(), EventStats())
    assert dist[0].to_dict() == single[0].to_dict()
    assert dist[1].to_dict() == single[1].to_dict()
    assert dist[0].lole_d.mean == reference.lold.mean()
    # the run was on a two-worker cluster
    assert len(dask2.client.scheduler_info()["workers"]) == 2


def test_cli_with_workers_prints_the_single_process_json(capsys):
    argv = ["adequacy", "ieee-rts79", "--samples", "200", "--chunk-size", "30", "--json", "--seed", "3"]
    assert main(argv) == 0
    single = _numbers(json.loads(capsys.readouterr().out))
    assert main(argv + ["--workers", "2"]) == 0
    assert _numbers(json.loads(capsys.readouterr().out)) == single
    assert single["lole_d"]["mean"] > 0


def test_core_does_not_import_dask_distributed():
    # (xarray's chunk-manager entry point imports dask.config once a Dataset is built; that is
    # xarray's doing, so only the cluster machinery is checked here)
    code = ("import sys, gigawatt, gigawatt.execution; from gigawatt import assess, SequentialMonteCarlo, systems; "
            "print('dask' in sys.modules); assess(systems.ieee_rts79(), SequentialMonteCarlo(samples=5)); "
            "print('distributed' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.stdout.split() == ["False", "False"]


def test_interrupted_run_resumes_with_identical_result(rts79, reference, tmp_path):
    method = SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=40, threads=1)
    killed = CountingExecutor(fail_after=3)
    with pytest.raises(KeyboardInterrupt):
        run_samples(rts79, method, executor=killed, checkpoint_dir=tmp_path)
    (run_dir,) = tmp_path.glob("run-*")
    assert sorted(p.name for p in run_dir.glob("chunk-*.npz")) == ["chunk-0-40.npz", "chunk-40-40.npz",
                                                                    "chunk-80-40.npz"]
    again = CountingExecutor()
    info: dict = {}
    acc = run_samples(rts79, method, executor=again, checkpoint_dir=tmp_path, info=info)
    assert again.asked == [(120, 40), (160, 40), (200, 40), (240, 40), (280, 20)]  # finished chunks reused
    assert info["reused_samples"] == 120 and info["computed_samples"] == 180
    assert accumulators_equal(acc, reference)
    # a third run computes nothing
    third = CountingExecutor()
    assert accumulators_equal(run_samples(rts79, method, executor=third, checkpoint_dir=tmp_path), reference)
    assert third.asked == []
    assert json.loads((run_dir / "manifest.json").read_text())["samples"] == SAMPLES


def test_more_samples_reuse_finished_chunks(rts79, tmp_path):
    # a chunk's content does not depend on the run's length, so extending a run keeps its work
    run_samples(rts79, SequentialMonteCarlo(samples=120, seed=SEED, chunk_size=40, threads=1), checkpoint_dir=tmp_path)
    longer = SequentialMonteCarlo(samples=200, seed=SEED, chunk_size=40, threads=1)
    ex = CountingExecutor()
    acc = run_samples(rts79, longer, executor=ex, checkpoint_dir=tmp_path)
    assert ex.asked == [(120, 40), (160, 40)]
    assert accumulators_equal(acc, simulate(rts79, longer))


def test_changed_input_never_reuses_chunks(rts79, tmp_path):
    method = SequentialMonteCarlo(samples=60, seed=SEED, chunk_size=30, threads=1)
    run_samples(rts79, method, checkpoint_dir=tmp_path)
    for sys_, m in [(rts79.with_added_load(50.0), method),
                    (rts79, SequentialMonteCarlo(samples=60, seed=SEED + 1, chunk_size=30, threads=1))]:
        ex = CountingExecutor()
        info: dict = {}
        acc = run_samples(sys_, m, executor=ex, checkpoint_dir=tmp_path, info=info)
        assert info["reused_samples"] == 0 and ex.asked == [(0, 30), (30, 30)]
        assert accumulators_equal(acc, simulate(sys_, m))
    assert len(list(tmp_path.glob("run-*"))) == 3


def test_stale_temporary_files_are_removed(rts79, tmp_path):
    method = SequentialMonteCarlo(samples=20, seed=SEED, chunk_size=10, threads=1)
    run_samples(rts79, method, checkpoint_dir=tmp_path)
    (run_dir,) = tmp_path.glob("run-*")
    old, fresh = run_dir / ".chunk-10-10.npz.abc.tmp", run_dir / ".chunk-0-10.npz.def.tmp"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    run_samples(rts79, method, checkpoint_dir=tmp_path)
    assert not old.exists() and fresh.exists()  # a fresh one may belong to a run still writing


def test_damaged_chunk_is_recomputed(rts79, reference, tmp_path):
    method = SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=100, threads=1)
    run_samples(rts79, method, checkpoint_dir=tmp_path)
    (chunk,) = tmp_path.glob("run-*/chunk-100-100.npz")
    chunk.write_bytes(chunk.read_bytes()[:200])
    ex = CountingExecutor()
    assert accumulators_equal(run_samples(rts79, method, executor=ex, checkpoint_dir=tmp_path), reference)
    assert ex.asked == [(100, 100)]


def test_killed_cli_process_resumes(tmp_path, capsys):
    """SIGKILL a CLI run mid-way, rerun the same command: same JSON as an uninterrupted run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    argv = ["adequacy", "ieee-rts79", "--samples", "1200", "--chunk-size", "4", "--threads", "1", "--json",
            "--add-load-mw", "100"]
    cmd = [sys.executable, "-m", "gigawatt", *argv]
    ck = tmp_path / "ck"
    proc = subprocess.Popen(cmd + ["--checkpoint-dir", str(ck)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(list(ck.glob("run-*/chunk-*.npz"))) < 30 and time.monotonic() < deadline:
        time.sleep(0.002)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = list(ck.glob("run-*/chunk-*.npz"))
    assert 30 <= len(done) < 300 and not list(ck.glob("run-*/summary.json"))
    resumed = subprocess.run(cmd + ["--checkpoint-dir", str(ck)], env=env, capture_output=True, text=True,
                             check=True)
    # every chunk file left by the killed run was whole and was reused
    assert f"{4 * len(done)} samples reused" in " ".join(resumed.stderr.split())
    assert main(argv) == 0  # the uninterrupted run, without checkpoints
    whole = _numbers(json.loads(capsys.readouterr().out))
    assert _numbers(json.loads(resumed.stdout)) == whole
    assert json.loads(next(ck.glob("run-*/summary.json")).read_text())["eue_mwh"] == whole["eue_mwh"]


# ------------------------------------------------------------------------------------ CLI errors
def _cli_error(capsys, argv):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err
    return " ".join(err.split())


def test_cli_bad_scheduler_address(capsys, monkeypatch):
    import gigawatt.execution.dask_executor as de

    monkeypatch.setattr(de, "CONNECT_TIMEOUT_S", 0.5)
    err = _cli_error(capsys, ["adequacy", "ieee-rts79", "--samples", "10", "--scheduler", "tcp://127.0.0.1:1"])
    assert err.startswith("error: --scheduler 'tcp://127.0.0.1:1': could not reach a Dask scheduler")
    assert "--workers N" in err


def test_cli_unwritable_checkpoint_dir(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    err = _cli_error(capsys, ["adequacy", "ieee-rts79", "--samples", "10", "--workers", "2",
                              "--checkpoint-dir", str(blocker / "sub")])
    assert err.startswith(f"error: --checkpoint-dir '{blocker / 'sub'}': cannot write checkpoints there")


def test_cli_workers_and_scheduler_exclusive(capsys):
    err = _cli_error(capsys, ["adequacy", "ieee-rts79", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert "give one or the other" in err


# ------------------------------------------------------------------------------------ worker loss
@pytest.mark.slow
def test_worker_loss_is_tolerated(rts79, reference):
    from gigawatt.execution import DaskExecutor

    with DaskExecutor(workers=2) as ex:
        pids = ex.client.run(os.getpid)
        killed = []

        def progress(done, total):
            if not killed:  # kill one worker after the first chunk arrives; its tasks are rescheduled
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        method = SequentialMonteCarlo(samples=SAMPLES, seed=SEED, chunk_size=2, executor=ex, progress=progress)
        acc = simulate(rts79, method)
        assert killed and accumulators_equal(acc, reference)
        assert killed[0] not in ex.client.run(os.getpid).values()


def test_workers_with_other_sampler_code_are_refused(dask2):
    from gigawatt.errors import InputError
    from gigawatt.execution.checkpoint import code_version

    dask2.check_workers()  # same code here and on the workers
    with pytest.raises(InputError, match=rf"runs gigawatt sampler {re.escape(code_version())}, this process 9\.9"):
        dask2.check_workers(expected="9.9")


def test_cli_scheduler_address_of_a_running_cluster(dask2, capsys):
    argv = ["adequacy", "ieee-rts79", "--samples", "150", "--chunk-size", "20", "--json", "--seed", "5"]
    assert main(argv) == 0
    single = _numbers(json.loads(capsys.readouterr().out))
    assert main(argv + ["--scheduler", dask2.client.scheduler.address]) == 0
    assert _numbers(json.loads(capsys.readouterr().out)) == single
    assert dask2.client.status == "running"  # the CLI closed its own client, not the cluster
