"""Where the compiled kernels are cached, and that any kernel source change invalidates them all."""

import shutil

from gigawatt.methods import _numba_cache as NC
from gigawatt.methods import _smc_kernel as K


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    for var in ("GIGAWATT_CACHE_DIR", "NUMBA_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert NC.cache_root() == tmp_path / "home" / ".cache" / "gigawatt" / "numba"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert NC.cache_root() == tmp_path / "xdg" / "gigawatt" / "numba"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "nb"))
    assert NC.cache_root() == tmp_path / "nb" / "gigawatt"
    monkeypatch.setenv("GIGAWATT_CACHE_DIR", str(tmp_path / "gw"))
    assert NC.cache_root() == tmp_path / "gw"
    assert NC.cache_dir().parent == tmp_path / "gw" and NC.cache_dir().name.endswith(NC.SOURCE_KEY)


def test_kernels_use_the_source_keyed_locator():
    for kernel in (*K.BLOCK_KERNELS.values(), K._record_period, K._init_sample):
        cache = kernel._cache
        locator = cache._impl.locator
        if not isinstance(locator, NC.KernelCacheLocator):  # the cache folder is not writable here
            continue
        assert locator.get_source_stamp() == NC.SOURCE_KEY
        assert cache._cache_path == locator.get_cache_path()
        assert cache._cache_path.endswith(NC.SOURCE_KEY)


def test_a_change_to_any_kernel_source_changes_the_key(monkeypatch, tmp_path):
    here = NC._sources_hash()  # (== NC.SOURCE_KEY unless a source was edited since the import)
    pkg = tmp_path / "gigawatt"
    shutil.copytree(NC._PKG / "methods", pkg / "methods")
    (pkg / "datacenter").mkdir()
    shutil.copy(NC._PKG / "datacenter" / "emergency.py", pkg / "datacenter" / "emergency.py")
    monkeypatch.setattr(NC, "_PKG", pkg)
    key = NC._sources_hash()
    assert key == here
    for path in (pkg / "datacenter" / "emergency.py", pkg / "methods" / "_dc_kernel.py"):
        path.write_text(path.read_text() + "\n# edited\n")
        new = NC._sources_hash()
        assert new != key
        key = new
    (pkg / "methods" / "sequential.py").write_text("# not a kernel source\n")
    assert NC._sources_hash() == key


def test_other_files_keep_numba_locators(tmp_path):
    f = tmp_path / "mine.py"
    f.write_text("def f():\n    return 1\n")
    ns = {}
    exec(compile(f.read_text(), str(f), "exec"), ns)
    assert NC.KernelCacheLocator.from_function(ns["f"], str(f)) is None
