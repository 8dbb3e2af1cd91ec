"""Node features of one cycle window: the Python mirror of inference/src/features.ts.

The spec (names, order, rules) is inference/feature-spec.json. Both sides take the samples as
float32 (as carried on the wire), then compute in float64. Parity is tested on fixtures.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SPEC_PATH = Path(__file__).resolve().parents[2] / 'feature-spec.json'
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)


def load_spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def feature_names(spec: dict | None = None) -> list[str]:
    spec = spec or load_spec()
    names: list[str] = []
    for f in spec['features']:
        count = f.get('count')
        names.extend([f"{f['name']}{i}" for i in range(count)] if count else [f['name']])
    return names


def _quantiles(sorted_x: np.ndarray) -> list[float]:
    n = sorted_x.shape[-1]
    out = []
    for p in QUANTILES:
        h = (n - 1) * p
        lo = int(np.floor(h))
        hi = min(lo + 1, n - 1)
        w = h - lo
        out.append(sorted_x[..., lo] + w * (sorted_x[..., hi] - sorted_x[..., lo]))
    return out


def channel_features(x: np.ndarray) -> np.ndarray:
    """Features of windows x[..., n] (any leading shape) -> [..., F] float64."""
    x = np.asarray(x, dtype=np.float32).astype(np.float64)
    n = x.shape[-1]
    t = np.arange(n, dtype=np.float64)
    tc = t - (n - 1) / 2
    u2 = (tc / n) ** 2
    p2 = u2 - u2.mean()
    mean = x.mean(axis=-1)
    std = np.sqrt(((x - mean[..., None]) ** 2).mean(axis=-1))
    slope = (x * tc).sum(axis=-1) / (tc * tc).sum()
    curv = (x * p2).sum(axis=-1) / (p2 * p2).sum()
    mad1 = np.abs(np.diff(x, axis=-1)).sum(axis=-1) / (n - 1)
    s = np.sort(x, axis=-1)
    stats = [mean, std, s[..., 0], s[..., -1], x[..., 0], x[..., -1], slope, *_quantiles(s), mad1, curv]
    return np.concatenate([x, np.stack(stats, axis=-1)], axis=-1)


def window_features(channels: dict[str, np.ndarray], order: list[str], n: int) -> np.ndarray:
    """One window {channel: samples[n]} -> [len(order), F]."""
    rows = []
    for c in order:
        x = np.asarray(channels[c])
        if x.shape != (n,):
            raise ValueError(f'channel {c}: expected {n} samples, got {x.shape}')
        rows.append(channel_features(x))
    return np.stack(rows)
