"""Shared setup: repository paths, the rig profile, the dataset as features + labels."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import load_uci, label_indices, TARGETS
from .features import channel_features, load_spec

REPO = Path(__file__).resolve().parents[3]
DATA_DIR = REPO / 'edge-agent' / 'data' / 'uci-hydraulic'
PROFILE_PATH = REPO / 'schemas' / 'profiles' / 'uci-hydraulic.json'
# The channels of the UCI copy (1 Hz), in the rig profile's order.
CHANNELS = ['TS1', 'TS2', 'TS3', 'TS4', 'VS1', 'CE', 'CP', 'SE']


def load_profile() -> dict:
    return json.loads(PROFILE_PATH.read_text())


@dataclass
class Dataset:
    raw: np.ndarray        # [cycles, channels, samples] float32
    feats: np.ndarray      # [cycles, channels, F] float64 (unnormalised)
    y: np.ndarray          # [cycles, 5] class indices
    cycles: np.ndarray     # [cycles] original cycle numbers
    targets: list[dict]


def load_dataset(data_dir: Path = DATA_DIR) -> Dataset:
    profile = load_profile()
    spec = load_spec()
    d = load_uci(data_dir, CHANNELS, spec['samplesPerWindow'])
    targets = profile['targets']
    assert [t['name'] for t in targets] == list(TARGETS)
    return Dataset(d.x, channel_features(d.x), label_indices(d.labels, targets), d.cycle_numbers, targets)


def norm_constants(feats: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per channel and feature mean and std over the training cycles; std 1 where constant."""
    mu = feats[idx].mean(axis=0)
    sd = feats[idx].std(axis=0)
    sd[sd < 1e-6] = 1.0
    return mu, sd


def normalise(feats: np.ndarray, mu: np.ndarray, sd: np.ndarray, clip: float) -> np.ndarray:
    """The model input: clip((f - mean) / std, -clip, clip) as float32 (feature spec, 'normalisation')."""
    return np.clip((feats - mu) / sd, -clip, clip).astype(np.float32)
