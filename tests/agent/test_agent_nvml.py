"""The NVML layer against a fake that follows NVML's documented behaviour, and on real GPUs where present.

NVML API reference (docs.nvidia.com/deploy/nvml-api): power values in milliwatts;
``nvmlDeviceGetPowerManagementLimitConstraints`` gives (min, max) of the settable limit;
``nvmlDeviceSetPowerManagementLimit`` needs root (NVML_ERROR_NO_PERMISSION otherwise), rejects a
limit outside the constraints (NVML_ERROR_INVALID_ARGUMENT) and fails on GPUs without power
management (NVML_ERROR_NOT_SUPPORTED). The fake raises the library's own error classes.
"""

from __future__ import annotations

import types
from pathlib import Path

import pynvml
import pytest

from gigawatt.agent.backends import NvmlCompute, NvmlGpus, NvmlUnavailable, gpu_caps
from gigawatt.agent.dryrun import level_table
from gigawatt.agent.site import read_agent_site
from gigawatt.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "colossus2.toml"


class FakeNvml(types.SimpleNamespace):
    """GPUs as dicts: name, min/max/default/limit in mW, power in mW, managed, root."""

    def __init__(self, gpus, root=True, init_error=None):
        super().__init__(NVMLError=pynvml.NVMLError, NVMLError_NotSupported=pynvml.NVMLError_NotSupported,
                         NVMLError_NoPermission=pynvml.NVMLError_NoPermission,
                         NVMLError_InvalidArgument=pynvml.NVMLError_InvalidArgument,
                         NVMLError_GpuIsLost=pynvml.NVMLError_GpuIsLost)
        self.gpus, self.root, self.init_error, self.set_calls, self.shut = gpus, root, init_error, [], False

    def nvmlInit(self):
        if self.init_error is not None:
            raise self.init_error

    def nvmlShutdown(self):
        self.shut = True

    def nvmlDeviceGetCount(self):
        return len(self.gpus)

    def nvmlDeviceGetHandleByIndex(self, i):
        if not 0 <= i < len(self.gpus):
            raise pynvml.NVMLError_InvalidArgument()
        return i

    def nvmlDeviceGetName(self, h):
        return self.gpus[h]["name"]

    def _managed(self, h):
        if not self.gpus[h].get("managed", True):
            raise pynvml.NVMLError_NotSupported()

    def nvmlDeviceGetPowerManagementLimitConstraints(self, h):
        self._managed(h)
        return self.gpus[h]["min"], self.gpus[h]["max"]

    def nvmlDeviceGetPowerManagementDefaultLimit(self, h):
        self._managed(h)
        return self.gpus[h]["default"]

    def nvmlDeviceGetPowerManagementLimit(self, h):
        self._managed(h)
        return self.gpus[h]["limit"]

    def nvmlDeviceGetPowerUsage(self, h):
        return self.gpus[h]["power"]

    def nvmlDeviceSetPowerManagementLimit(self, h, mw):
        self._managed(h)
        if not self.root:
            raise pynvml.NVMLError_NoPermission()
        g = self.gpus[h]
        if not g["min"] <= mw <= g["max"]:
            raise pynvml.NVMLError_InvalidArgument()
        self.set_calls.append((h, mw))
        g["limit"] = mw


def h100(**kw):
    return {"name": "NVIDIA H100 80GB HBM3", "min": 200_000, "max": 700_000, "default": 700_000,
            "limit": 700_000, "power": 650_000, **kw}


@pytest.fixture(scope="module")
def site():
    return read_agent_site(EXAMPLE)


def test_lists_gpus_and_clips_caps_to_the_constraints():
    fake = FakeNvml([h100(), h100(name=b"NVIDIA A100"), h100(managed=False)])
    gpus = NvmlGpus(fake)
    assert [g["name"] for g in gpus.gpus] == ["NVIDIA H100 80GB HBM3", "NVIDIA A100", "NVIDIA H100 80GB HBM3"]
    assert gpus.gpus[0]["default_w"] == 700.0 and gpus.gpus[0]["min_w"] == 200.0
    assert "power limits: not supported" in gpus.gpus[2]["note"]
    rows = gpus.limits_for({0: 0.5, 1: 0.25, 2: 0.5})
    assert rows[0]["limit_w"] == 350.0 and rows[0]["note"] == ""
    assert rows[1]["limit_w"] == 200.0 and "outside 200-700 W: clipped" in rows[1]["note"]  # 175 W < min
    assert rows[2]["limit_w"] is None and "not supported" in rows[2]["note"]
    assert gpus.power_w() == [650.0, 650.0, 650.0]


def test_dry_run_sets_nothing_and_errors_are_reported():
    fake = FakeNvml([h100(), h100()], root=False)
    gpus = NvmlGpus(fake)
    rows = gpus.limits_for({0: 0.6, 1: 0.6})
    assert all(not r["set"] for r in gpus.set_limits(rows, dry_run=True)) and fake.set_calls == []
    done = gpus.set_limits(rows, dry_run=False)
    assert [r["note"] for r in done] == ["not set: no permission (setting power limits needs root)"] * 2
    fake.root = True
    done = gpus.set_limits(rows, dry_run=False)
    assert all(r["set"] for r in done) and fake.set_calls == [(0, 420_000), (1, 420_000)]


def test_nvml_missing_is_a_clear_error():
    with pytest.raises(NvmlUnavailable, match="NVML is not available on this machine: NVML Shared Library Not Found"):
        NvmlGpus(FakeNvml([], init_error=pynvml.NVMLError_LibraryNotFound()))


def test_job_classes_to_gpus_and_the_compute_backend(site):
    from dataclasses import replace

    fake = FakeNvml([h100() for _ in range(4)])
    gpus = NvmlGpus(fake)
    mapped = replace(site, gpus={"pre-training": (0, 1), "inference": (2,)})
    caps = gpu_caps(mapped, {"pre-training": 0.7, "inference": 0.8}, {"pre-training": 0.0}, gpus)
    assert caps == {0: 0.7, 1: 0.7, 2: 0.8}  # GPU 3 is no class's: left alone
    assert gpu_caps(site, {"pre-training": 0.7}, {"pre-training": 1.0}, gpus) == {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.0}
    said = []
    comp = NvmlCompute(mapped, gpus, dry_run=False, say=said.append)
    comp.apply({"pre-training": 0.7, "fine-tuning": 1.0, "inference": 0.8}, {})
    assert sorted(fake.set_calls) == [(0, 490_000), (1, 490_000), (2, 560_000)]
    comp.apply({"pre-training": 0.7, "fine-tuning": 1.0, "inference": 0.8}, {})
    assert len(fake.set_calls) == 3  # unchanged caps are not sent again
    assert any("GPU 0" in x and "set 490.0 W" in x for x in said)
    assert comp.load_mw < site.baseline_mw  # the site model follows the caps


def test_level_table_lists_gpus_and_caps(site):
    text = level_table(site, FakeNvml([h100(), h100()]))
    assert "2 GPU(s):" in text and "default 700 W, limits 200-700 W" in text
    assert "SIMPLE level 3 (300 MW, 1 h): opt in" in text
    assert text.count("would set") == 6


def test_cli_nvml_dry_run_without_nvml_is_one_paragraph(capsys, monkeypatch):
    monkeypatch.setattr(pynvml, "nvmlInit", lambda: (_ for _ in ()).throw(pynvml.NVMLError_LibraryNotFound()))
    assert main(["agent", str(EXAMPLE), "--backend", "nvml", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "NVML is not available on this machine" in err and "Traceback" not in err


def _has_gpu() -> bool:
    try:
        pynvml.nvmlInit()
        n = pynvml.nvmlDeviceGetCount()
        pynvml.nvmlShutdown()
        return n > 0
    except pynvml.NVMLError:
        return False


@pytest.mark.skipif(not _has_gpu(), reason="no NVIDIA GPU with NVML on this machine")
def test_real_gpus_dry_run(capsys):
    assert main(["agent", str(EXAMPLE), "--backend", "nvml", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "GPU(s):" in out and "GPU 0:" in out and "would set" in out
