"""The sensor graph from the rig profile, restricted to the channels the model uses.

The profile's edges follow the hydraulic and cooling circuits over all 17 channels. The UCI copy
here has only the 8 channels at 1 Hz, so the graph is the profile's graph restricted to those
channels. Optionally (train.py --contract) for each connected group of *absent* channels (e.g.
EPS1-PS1-PS2-PS3-FS1 in the working circuit), the present channels that touch that group are
joined pairwise ("contraction" of the absent sensors), so that two present sensors that the
profile connects through an absent one stay connected. With the reference profile this adds
VS1-SE, TS1-VS1, TS1-SE (through the working circuit) and TS1-TS3, TS1-CP (through FS2/PS4-6).
On the validation folds it did not help (mean accuracy 0.917 with, 0.922 without), so the
reference model uses the profile's edges only.
"""
from __future__ import annotations

import numpy as np
import torch
from torch_geometric.utils import to_dense_adj, to_undirected


def restricted_edges(profile_edges: list[list[str]], channels: list[str], contract: bool = False) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """-> (edges among `channels` from the profile, edges added by contraction), each sorted by channel order."""
    present = set(channels)
    kept = {tuple(sorted(e)) for e in profile_edges if e[0] in present and e[1] in present}
    added: set[tuple[str, str]] = set()
    if contract:
        absent = {n for e in profile_edges for n in e} - present
        adj: dict[str, set[str]] = {}
        for a, b in profile_edges:
            adj.setdefault(a, set()).add(b)
            adj.setdefault(b, set()).add(a)
        seen: set[str] = set()
        for start in sorted(absent):
            if start in seen:
                continue
            group, stack = set(), [start]
            while stack:
                n = stack.pop()
                if n not in group:
                    group.add(n)
                    stack.extend(m for m in adj[n] if m in absent and m not in group)
            seen |= group
            touch = sorted({m for n in group for m in adj[n] if m in present})
            for i, a in enumerate(touch):
                for b in touch[i + 1:]:
                    if (a, b) not in kept and (b, a) not in kept:
                        added.add(tuple(sorted((a, b))))
    order = {c: i for i, c in enumerate(channels)}
    key = lambda e: (order[e[0]], order[e[1]])
    canon = lambda es: sorted({tuple(sorted(e, key=order.get)) for e in es}, key=key)
    return canon(kept), canon(added)


def adjacency(edges: list[tuple[str, str]], channels: list[str]) -> np.ndarray:
    """Dense symmetric 0/1 adjacency [N, N] (no self loops), via torch-geometric's edge_index utilities."""
    idx = {c: i for i, c in enumerate(channels)}
    edge_index = torch.tensor([[idx[a] for a, _ in edges], [idx[b] for _, b in edges]], dtype=torch.long)
    dense = to_dense_adj(to_undirected(edge_index, num_nodes=len(channels)), max_num_nodes=len(channels))[0]
    return dense.clamp(max=1).numpy().astype(np.float32)
