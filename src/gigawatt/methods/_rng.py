"""Per-sample random streams (numba).

Each sample has its own xoshiro256** stream seeded from ``(seed, sample index)``
through SplitMix64, so a sample's draws do not depend on which thread, process or
chunk simulates it (the PRAS approach: one stream per sample).

References
----------
Blackman, D. and Vigna, S. (2021). Scrambled linear pseudorandom number generators.
ACM Trans. Math. Softw. 47(4). https://doi.org/10.1145/3460772
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

from gigawatt.methods import _numba_cache  # noqa: F401  (first: where the kernels below are cached)

_GOLDEN = uint64(0x9E3779B97F4A7C15)
_M1 = uint64(0xBF58476D1CE4E5B9)
_M2 = uint64(0x94D049BB133111EB)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _splitmix64(x):
    z = uint64(x + _GOLDEN)
    z = uint64((z ^ (z >> uint64(30))) * _M1)
    z = uint64((z ^ (z >> uint64(27))) * _M2)
    return uint64(z ^ (z >> uint64(31)))


@njit(_nrt=False, cache=True, error_model="numpy")
def seed_state(state, seed, sample):
    """Fill ``state`` (4 x uint64) for the stream of ``(seed, sample)``."""
    x = _splitmix64(uint64(seed))
    x = _splitmix64(uint64(x ^ _splitmix64(uint64(sample) + uint64(0x632BE59BD9B4E019))))
    for i in range(4):
        x = _splitmix64(x)
        state[i] = x
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:  # pragma: no cover
        state[0] = uint64(1)


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def _rotl(x, k):
    return uint64((x << uint64(k)) | (x >> uint64(64 - k)))


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def next_u64(state):
    """Next 64-bit output of xoshiro256**."""
    result = uint64(_rotl(uint64(state[1] * uint64(5)), 7) * uint64(9))
    t = uint64(state[1] << uint64(17))
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = _rotl(state[3], 45)
    return result


@njit(_nrt=False, cache=True, error_model="numpy", inline="always")
def uniform(state):
    """A uniform draw in [0, 1) with 53 random bits."""
    return float(next_u64(state) >> uint64(11)) * (1.0 / 9007199254740992.0)


@njit(_nrt=False, cache=True, error_model="numpy")
def load_factor(state, sd):
    """A load forecast factor ``1 + sd z``, ``z`` standard normal (Box-Muller, two uniforms of ``state``),
    ``z`` cut at +-4 (a factor stays positive for any ``sd`` below 0.25)."""
    u1 = uniform(state)
    u2 = uniform(state)
    z = np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)
    z = min(max(z, -4.0), 4.0)
    return 1.0 + sd * z


def load_factors(seed: int, samples, sd: float, offset: int = 1 << 61) -> np.ndarray:
    """The load forecast factor of each of ``samples`` (indices) under ``seed``: what the sequential
    kernel draws for them (stream ``(seed, sample + offset)``; for tests and tools)."""
    state = np.zeros(4, dtype=np.uint64)
    out = []
    for i in np.atleast_1d(samples):
        seed_state(state, seed, int(i) + int(offset))
        out.append(load_factor(state, float(sd)))
    return np.array(out)


def uniforms(seed: int, sample: int, n: int) -> np.ndarray:
    """``n`` uniform draws of the stream of ``(seed, sample)`` (for tests and tools)."""
    state = np.zeros(4, dtype=np.uint64)
    seed_state(state, seed, sample)
    return np.array([uniform(state) for _ in range(n)])
