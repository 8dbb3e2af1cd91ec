"""Contiguous-block split of the cycles.

Neighbouring cycles are nearly identical, so cycles are never split one by one. The run is cut
into contiguous blocks of BLOCK consecutive cycles (a block never spans a gap in the original
cycle numbering), numbered 0, 1, 2, ... in time order, and block b goes to fold b mod FOLDS.
Every fold is therefore a set of blocks spread evenly over the whole run, so each condition
level appears in every fold where the data allows it.

The reference model: test = fold 0 (never used for training, early stopping or selection),
validation = fold 1 (early stopping and model selection), training = folds 2..FOLDS-1.
Blocked k-fold for reporting: for k in 0..FOLDS-1, test = fold k, validation = fold (k+1) mod
FOLDS, training = the rest.
"""
from __future__ import annotations

import numpy as np

BLOCK = 25
FOLDS = 5


def block_ids(cycle_numbers: np.ndarray, block: int = BLOCK) -> np.ndarray:
    ids = np.zeros(len(cycle_numbers), dtype=np.int64)
    b, run = 0, 0
    for i in range(len(cycle_numbers)):
        if i > 0 and (cycle_numbers[i] != cycle_numbers[i - 1] + 1 or run == block):
            b, run = b + 1, 0
        ids[i] = b
        run += 1
    return ids


def folds(cycle_numbers: np.ndarray, block: int = BLOCK, k: int = FOLDS) -> np.ndarray:
    return block_ids(cycle_numbers, block) % k


def split(cycle_numbers: np.ndarray, test_fold: int = 0, block: int = BLOCK, k: int = FOLDS):
    """-> (train, val, test) index arrays."""
    f = folds(cycle_numbers, block, k)
    val_fold = (test_fold + 1) % k
    test = np.where(f == test_fold)[0]
    val = np.where(f == val_fold)[0]
    train = np.where((f != test_fold) & (f != val_fold))[0]
    return train, val, test


def flanked_folds(cycle_numbers: np.ndarray, block: int = BLOCK, k: int = FOLDS) -> np.ndarray:
    """A second split, for the question "how well does a model trained on everything do on a block
    that it never saw, with both neighbouring blocks in training": the situation of the 18 blocks
    of 25 that this copy of the data leaves out (original blocks 2, 7, 12, ... in 0-based units of
    25 cycles), whose neighbours are all here.

    Original block j holds cycles 25j+1 .. 25j+25. A block is flanked when blocks j-1 and j+1 are
    both complete in the data. Flanked blocks are grouped by their position j mod k; each position
    is one fold (here positions 0 and 4: two folds of 17 blocks), so no two test blocks of a fold
    are neighbours. -> fold per cycle, -1 for cycles that are always in training."""
    c = np.asarray(cycle_numbers)
    j = (c - 1) // block
    present = {b for b in np.unique(j) if np.sum(j == b) == block}
    flanked = sorted(b for b in present if b - 1 in present and b + 1 in present)
    positions = sorted({b % k for b in flanked})
    out = np.full(len(c), -1, dtype=np.int64)
    for b in flanked:
        out[j == b] = positions.index(b % k)
    return out


def test_folds(cycle_numbers: np.ndarray, how: str) -> tuple[np.ndarray, int]:
    """-> (fold per cycle, number of test folds) of split `how`: 'blocks' (folds) or 'flanked' (flanked_folds)."""
    if how == 'flanked':
        f = flanked_folds(cycle_numbers)
        return f, int(f.max()) + 1
    return folds(cycle_numbers), FOLDS
