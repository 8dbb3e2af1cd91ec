"""Dense-adjacency graph network with five heads, built on torch-geometric's DenseGCNConv.

The network is a set of graph towers over one sensor graph; each target head reads one tower.
towers='per-head' (default): every head has its own tower, trained jointly in one network (on
this data a shared tower lets the heads that are easy to learn from temperature levels, cooler
and pump, shape the features that the accumulator head needs, and costs it about 10 points of
accuracy on validation blocks); towers='shared': all heads read one tower. A tower:

x [B, N, F] (normalised node features)
  -> node encoder: relu(x W_in[node] + b_in[node])   one W_in per node ('node' encoder: each
     sensor has its own units and wave shape) or one W_in for all nodes ('shared' encoder; the
     per-node bias then acts as a node-identity embedding)
  -> L graph layers: h <- h + relu(DenseGCNConv(h, A_w)), i.e. relu(A_hat h W_l + b_l) with
     A_hat = D^-1/2 (A_w + I) D^-1/2 and A_w learned positive symmetric weights on the
     sensor-graph edges (1 at start)
  -> readout: the node states concatenated [B, N*H] -> optional trunk (Linear, ReLU) -> linear
     head -> softmax.
For export, freeze() computes A_hat once; the frozen forward is the same arithmetic as plain
MatMul / Add / Relu / Transpose / Reshape / Softmax (checked against the DenseGCNConv path in
export.py).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch_geometric.nn import DenseGCNConv


def gcn_normalise(a_w: torch.Tensor) -> torch.Tensor:
    """A_hat = D^-1/2 (A_w with unit diagonal) D^-1/2, as DenseGCNConv computes it (add_loop)."""
    n = a_w.shape[-1]
    a = a_w.clone()
    idx = torch.arange(n)
    a[idx, idx] = 1.0
    d = a.sum(dim=-1).clamp(min=1).pow(-0.5)
    return d[:, None] * a * d[None, :]


class Tower(nn.Module):
    def __init__(self, n: int, n_features: int, hidden: int, layers: int, trunk: int, dropout: float, encoder: str):
        super().__init__()
        self.encoder = encoder
        shape = (n, n_features, hidden) if encoder == 'node' else (n_features, hidden)
        self.w_in = nn.Parameter(torch.randn(*shape) / np.sqrt(n_features))
        self.register_buffer('in_mask', torch.ones(n, 1, 1))   # 0: the tower does not read that node's features
        self.b_in = nn.Parameter(torch.zeros(n, hidden))
        self.convs = nn.ModuleList([DenseGCNConv(hidden, hidden) for _ in range(layers)])
        self.drop = nn.Dropout(dropout)
        self.trunk = nn.Sequential(nn.Linear(n * hidden, trunk), nn.ReLU(), nn.Dropout(dropout)) if trunk > 0 else nn.Identity()
        self.width = trunk if trunk > 0 else n * hidden

    def forward(self, x: torch.Tensor, a_w: torch.Tensor, a_hat: torch.Tensor | None) -> torch.Tensor:
        if self.encoder == 'node':
            h = torch.matmul(x.transpose(0, 1), self.w_in * self.in_mask).transpose(0, 1)   # [N,B,F]@[N,F,H] -> [B,N,H]
        else:
            h = torch.matmul(x * self.in_mask[:, 0, 0][None, :, None], self.w_in)
        h = torch.relu(h + self.b_in)
        for conv in self.convs:
            if a_hat is None:
                m = conv(self.drop(h), a_w)                                    # torch-geometric (training)
            else:
                m = torch.matmul(a_hat, conv.lin(h)) + conv.bias               # frozen (export): same arithmetic
            h = h + torch.relu(m)
        return self.trunk(h.flatten(1))


class DenseGNN(nn.Module):
    def __init__(self, adjacency: np.ndarray, n_features: int, classes: list[int], hidden: int = 32,
                 layers: int = 2, trunk: int = 0, dropout: float = 0.2, learn_edges: bool = True,
                 encoder: str = 'node', towers: str = 'per-head'):
        super().__init__()
        n = adjacency.shape[0]
        self.register_buffer('edge_mask', torch.tensor(adjacency, dtype=torch.float32))
        self.edge_logit = nn.Parameter(torch.zeros(n, n), requires_grad=learn_edges)
        count = len(classes) if towers == 'per-head' else 1
        self.towers = nn.ModuleList([Tower(n, n_features, hidden, layers, trunk, dropout, encoder) for _ in range(count)])
        self.heads = nn.ModuleList([nn.Linear(self.towers[0].width, k) for k in classes])
        self.frozen_adj: torch.Tensor | None = None

    def edge_weights(self) -> torch.Tensor:
        """A_w: positive symmetric weights on the graph's edges (2 sigmoid(0) = 1 at start), 0 elsewhere."""
        w = torch.sigmoid(self.edge_logit) * 2.0
        return 0.5 * (w + w.T) * self.edge_mask

    def freeze(self) -> None:
        """Compute A_hat once and use the plain-matmul path (for export)."""
        with torch.no_grad():
            self.frozen_adj = gcn_normalise(self.edge_weights()).clone()

    def logits(self, x: torch.Tensor, per_tower: list[torch.Tensor] | None = None) -> list[torch.Tensor]:
        """per_tower (training only): a different input for each tower (e.g. augmented for some heads)."""
        a_w = self.edge_weights() if self.frozen_adj is None else None
        xs = per_tower if per_tower is not None else [x] * len(self.towers)
        z = [t(xi, a_w, self.frozen_adj) for t, xi in zip(self.towers, xs)]
        return [head(z[i if len(z) > 1 else 0]) for i, head in enumerate(self.heads)]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return tuple(torch.softmax(l, dim=-1) for l in self.logits(x))


class FusedGNN(nn.Module):
    """The per-head towers of a trained DenseGNN fused for inference: the same arithmetic in
    fewer, larger ops, in a node-major layout so that every MatMul is one large GEMM or a few:

      x [B,N,F] -> [N,B,F] @ W_in [N,F,T*H] + b_in -> relu -> h [T, N*B, H] (all towers at once)
      per layer: A_hat @ h viewed as [T, N, B*H]; then h @ W_l [T,H,H] + b_l, relu, residual
      readout:   h -> [T,B,N*H] @ W_head [T,N*H,K] + b_head -> softmax -> probs [B,T,K]
    K is the largest class count; a head with fewer classes has its padding logits at -1e9, so
    its padded probabilities are exactly 0. One output tensor instead of five: onnxruntime's
    cost per window on the edge is mostly per graph node (about 25 here, against about 90 for
    the unfused graph). Requires towers='per-head', encoder='node', trunk=0 (checked)."""

    def __init__(self, m: DenseGNN):
        super().__init__()
        towers = list(m.towers)
        t0 = towers[0]
        if len(towers) != len(m.heads) or t0.encoder != 'node' or not isinstance(t0.trunk, nn.Identity):
            raise ValueError('FusedGNN needs per-head towers, node encoders and a linear readout')
        with torch.no_grad():
            self.t = len(towers)
            self.n, self.h = t0.b_in.shape
            self.classes = [head.out_features for head in m.heads]
            kmax = max(self.classes)
            self.register_buffer('a_hat', gcn_normalise(m.edge_weights()).clone())                  # [N, N]
            self.register_buffer('w_in', torch.cat([t.w_in * t.in_mask for t in towers], dim=2).clone())          # [N, F, T*H]
            self.register_buffer('b_in', torch.cat([t.b_in for t in towers], dim=1)[:, None, :].clone())  # [N, 1, T*H]
            self.layers = len(t0.convs)
            for l in range(self.layers):
                self.register_buffer(f'w{l}', torch.stack([t.convs[l].lin.weight.T for t in towers]).clone())      # [T, H, H]
                self.register_buffer(f'b{l}', torch.stack([t.convs[l].bias for t in towers])[:, None, :].clone())  # [T, 1, H]
            wh = torch.zeros(self.t, self.n * self.h, kmax)
            bh = torch.full((self.t, 1, kmax), -1e9)
            for i, head in enumerate(m.heads):
                wh[i, :, :head.out_features] = head.weight.T
                bh[i, 0, :head.out_features] = head.bias
            self.register_buffer('w_head', wh)                                                        # [T, N*H, K]
            self.register_buffer('b_head', bh)                                                        # [T, 1, K]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, h = self.n, self.t, self.h
        z = torch.relu(torch.matmul(x.transpose(0, 1), self.w_in) + self.b_in)                      # [N, B, T*H]
        z = z.reshape(n, -1, t, h).permute(2, 0, 1, 3).reshape(t, -1, h)                             # [T, N*B, H]
        for l in range(self.layers):
            m = torch.matmul(self.a_hat, z.reshape(t, n, -1)).reshape(t, -1, h)                      # A_hat over nodes
            m = torch.matmul(m, getattr(self, f'w{l}')) + getattr(self, f'b{l}')                     # per tower
            z = z + torch.relu(m)
        r = z.reshape(t, n, -1, h).transpose(1, 2).reshape(t, -1, n * h)                             # [T, B, N*H]
        logits = torch.matmul(r, self.w_head) + self.b_head                                          # [T, B, K]
        return torch.softmax(logits, dim=-1).transpose(0, 1)                                         # [B, T, K]

    def split(self, probs: torch.Tensor) -> list[torch.Tensor]:
        return [probs[:, i, :k] for i, k in enumerate(self.classes)]


class PaddedOutput(nn.Module):
    """Any DenseGNN with the output contract of FusedGNN: one tensor probs [B, T, K], padded with 0."""

    def __init__(self, m: DenseGNN):
        super().__init__()
        self.m = m
        self.classes = [head.out_features for head in m.heads]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        kmax = max(self.classes)
        outs = [torch.nn.functional.pad(p, (0, kmax - p.shape[1])) for p in self.m(x)]
        return torch.stack(outs, dim=1)


def for_export(m: DenseGNN) -> nn.Module:
    """The inference module: fused when the configuration allows it, else padded; both [B, T, K]."""
    m.freeze()
    try:
        return FusedGNN(m).eval()
    except ValueError:
        return PaddedOutput(m).eval()
