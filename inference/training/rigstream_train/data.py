"""Loader for the UCI hydraulic layout: one <CHANNEL>.txt per channel (one row per cycle, tab
separated samples), profile.txt (5 labels per cycle), cycles.txt (original cycle numbers)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

TARGETS = ('cooler', 'valve', 'pump', 'accumulator', 'stable')


@dataclass
class UciData:
    channels: list[str]
    x: np.ndarray            # [cycles, channels, samples] float32
    labels: np.ndarray       # [cycles, 5] raw label values (profile.txt)
    cycle_numbers: np.ndarray  # [cycles] original 1-based cycle numbers


def load_uci(root: Path, channels: list[str], samples: int) -> UciData:
    root = Path(root)
    arrays = []
    for c in channels:
        a = np.loadtxt(root / f'{c}.txt', dtype=np.float64, ndmin=2)
        if a.shape[1] != samples:
            raise ValueError(f'{c}.txt: {a.shape[1]} samples per row, expected {samples}')
        arrays.append(a.astype(np.float32))
    x = np.stack(arrays, axis=1)
    labels = np.loadtxt(root / 'profile.txt', dtype=np.int64, ndmin=2)
    cyc_file = root / 'cycles.txt'
    cycles = np.loadtxt(cyc_file, dtype=np.int64, ndmin=1) if cyc_file.exists() else np.arange(1, len(x) + 1)
    if not (len(labels) == len(x) == len(cycles)):
        raise ValueError(f'row counts differ: x {len(x)}, labels {len(labels)}, cycles {len(cycles)}')
    return UciData(channels, x, labels, cycles)


def label_indices(labels: np.ndarray, targets: list[dict]) -> np.ndarray:
    """Raw label values -> class indices in the profile's class order, [cycles, 5]."""
    out = np.zeros_like(labels)
    for j, t in enumerate(targets):
        values = list(t['values'])
        col = labels[:, j]
        unknown = set(np.unique(col).tolist()) - set(values)
        if unknown:
            raise ValueError(f"target {t['name']}: unknown label values {sorted(unknown)}")
        out[:, j] = np.array([values.index(v) for v in col])
    return out
