"""Train the diagnostic GNN on the UCI cycles with the contiguous-block split (split.py).

Two modes, so that the test blocks are never used for any choice:
  explore  train on the folds other than the test fold and the validation fold(s); print the
           validation accuracy every epoch; the test fold is not touched. With --inner, every
           non-test fold serves as validation in turn (4 runs) and the mean is printed. This is
           how the configuration and the number of epochs were chosen.
  final    train on every fold but the test fold for a fixed number of epochs (no early
           stopping, no selection), then score the test fold once. --folds repeats this with
           each fold as the test fold (blocked k-fold report). --save keeps the model for export.

  python -m rigstream_train.train --mode explore --inner
  python -m rigstream_train.train --mode final --test-fold 0 --save run.pt --json run.json
  python -m rigstream_train.train --mode final --folds --json cv.json
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
from sklearn.metrics import confusion_matrix

from .common import CHANNELS, load_dataset, load_profile, norm_constants, normalise
from .features import feature_names, load_spec
from .graph import adjacency, restricted_edges
from .model import DenseGNN
from .split import FOLDS, folds as fold_of, test_folds


def parse_args(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--mode', choices=['explore', 'final'], default='explore')
    ap.add_argument('--test-fold', type=int, default=0)
    ap.add_argument('--val-fold', type=int, help='explore: validation fold (default test+2: not next to a test block)')
    ap.add_argument('--inner', action='store_true', help='explore: every non-test fold as validation in turn')
    ap.add_argument('--folds', action='store_true', help='final: every fold as the test fold in turn')
    ap.add_argument('--split', choices=['blocks', 'flanked', 'none'], default='blocks',
                    help="final: 'blocks' (block b in fold b mod 5), 'flanked' (split.py flanked_folds: held-out blocks whose "
                         "neighbours are both in training), 'none' (train on every cycle, score nothing: the shipped model)")
    ap.add_argument('--epochs', type=int, default=150)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--wd', type=float, default=1e-3)
    ap.add_argument('--hidden', type=int, default=32)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--trunk', type=int, default=0, help='width of a hidden readout layer (0: linear readout)')
    ap.add_argument('--dropout', type=float, default=0.2)
    ap.add_argument('--encoder', choices=['shared', 'node'], default='node')
    ap.add_argument('--towers', choices=['shared', 'per-head'], default='per-head', help='one graph tower for all heads, or one per head')
    ap.add_argument('--noise', type=float, default=0.05, help='std of Gaussian noise added to the normalised features in training')
    ap.add_argument('--contract', action='store_true', help='also join present sensors that the profile connects only through absent ones (graph.py)')
    ap.add_argument('--fixed-edges', action='store_true', help='do not learn edge weights')
    ap.add_argument('--loss-weights', default='1,1,1,1,1', help='weight of each head in the loss (cooler,valve,pump,accumulator,stable)')
    ap.add_argument('--input-dropout', type=float, default=0.0, help='dropout on the input features in training')
    ap.add_argument('--temp-shift', type=float, default=6.0,
                    help='std (degC) of a random offset added to the level of all four temperatures of a training cycle, for the heads in --shift-heads')
    ap.add_argument('--shift-heads', default='cooler', help='heads whose tower sees the temperature-shifted input')
    ap.add_argument('--tower-channels', default='', help="heads whose tower reads only some sensors, e.g. 'accumulator=SE+VS1+CE+CP,valve=SE+VS1'")
    ap.add_argument('--label-smoothing', type=float, default=0.0)
    ap.add_argument('--swap', type=float, default=0.5,
                    help='probability that a training cycle gets a condition-change offset (see condition_deltas) added, and its labels changed to match')
    ap.add_argument('--swap-heads', default='accumulator', help='heads whose tower trains on the --swap cycles (the others see the cycles as recorded)')
    ap.add_argument('--swap-steps', type=int, default=2, help='offsets drawn in turn per training cycle (each with probability --swap, from the states after the one before)')
    ap.add_argument('--swap-edge', type=int, default=5, help='stable cycles on each side of a condition change that make its offset')
    ap.add_argument('--swa', type=int, default=0, help='average the weights of the last this many epochs (0: keep the last epoch\'s)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--seeds', type=int, default=1, help='explore: train this many seeds per validation fold and also score their average')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--quiet', action='store_true', help='no per-epoch lines')
    ap.add_argument('--save', help='final: save the trained model (state, normalisation, config, results) here; {fold} is replaced by the test fold')
    ap.add_argument('--json', help='write the results here')
    return ap.parse_args(argv)


# Features that move one for one with the level of the signal (an offset added to every sample):
# the samples, mean, min, max, first, last and the quantiles; std, slope, mad1 and curv do not.
LEVEL_FEATURES = ('x', 'mean', 'min', 'max', 'first', 'last', 'q10', 'q25', 'q50', 'q75', 'q90')
TEMPERATURES = ('TS1', 'TS2', 'TS3', 'TS4')


def level_shift(sd: np.ndarray) -> np.ndarray:
    """[N, F]: the change of each normalised feature per 1 degC added to every temperature sample."""
    out = np.zeros(sd.shape)
    cols = [i for i, f in enumerate(feature_names()) if f in LEVEL_FEATURES or (f[0] == 'x' and f[1:].isdigit())]
    for c, ch in enumerate(CHANNELS):
        if ch in TEMPERATURES:
            out[c, cols] = 1.0 / sd[c, cols]
    return out


def condition_deltas(ds, train_idx: np.ndarray, x: np.ndarray, edge: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offsets between neighbouring runs of the training cycles, for composing condition
    combinations that the training blocks lack. The rig changes one or two conditions at a time
    (the valve every 10 or so cycles, the pump and accumulator more rarely), so two runs that
    follow each other differ in a few conditions at nearly the same temperatures. If the effects
    of the conditions on the features add up, x + (mean of the next run - mean of this run) is a
    cycle with the next run's states of the changed conditions and this cycle's states of the
    rest. Only stable cycles (stable flag 0), only within contiguous training stretches, the
    `edge` cycles nearest the change on each side.
    -> (deltas [D, N, F] float32, from-states [D, 4] with -1 where unchanged, to-states [D, 4])"""
    order = train_idx[np.argsort(ds.cycles[train_idx])]
    order = order[ds.y[order, 4] == 0]
    runs, cur = [], [order[0]]
    for a, b in zip(order[:-1], order[1:]):
        contiguous = ds.cycles[b] - ds.cycles[a] <= 3           # a transient cycle or two between is allowed
        if contiguous and (ds.y[a, :4] == ds.y[b, :4]).all():
            cur.append(b)
            continue
        runs.append((cur, contiguous))
        cur = [b]
    runs.append((cur, False))
    deltas, src, dst = [], [], []
    for (r1, joined), (r2, _) in zip(runs[:-1], runs[1:]):
        if not joined:
            continue
        s1, s2 = ds.y[r1[0], :4], ds.y[r2[0], :4]
        changed = s1 != s2
        d = x[r2[:edge]].mean(axis=0) - x[r1[-edge:]].mean(axis=0)
        for sign, (a, b) in ((1, (s1, s2)), (-1, (s2, s1))):
            deltas.append(sign * d)
            src.append(np.where(changed, a, -1))
            dst.append(np.where(changed, b, -1))
    return np.array(deltas, dtype=np.float32), np.array(src), np.array(dst)


def accuracies(probs: list[np.ndarray], y: np.ndarray) -> list[float]:
    return [float((p.argmax(1) == y[:, j]).mean()) for j, p in enumerate(probs)]


@torch.no_grad()
def predict(model: DenseGNN, x: torch.Tensor) -> list[np.ndarray]:
    model.eval()
    return [p.numpy() for p in model(x)]


def fmt(names, accs) -> str:
    return ' '.join(f'{n}={a:.3f}' for n, a in zip(names, accs))


def build_model(args, n_features: int, classes: list[int]) -> tuple[DenseGNN, np.ndarray, dict]:
    profile = load_profile()
    kept, added = restricted_edges(profile['edges'], CHANNELS, contract=args.contract)
    adj = adjacency(kept + added, CHANNELS)
    model = DenseGNN(adj, n_features, classes, hidden=args.hidden, layers=args.layers, trunk=args.trunk,
                     dropout=args.dropout, learn_edges=not args.fixed_edges, encoder=args.encoder, towers=args.towers)
    names = [t['name'] for t in profile['targets']]
    for spec in filter(None, args.tower_channels.split(',')):
        head, _, chans = spec.partition('=')
        if args.towers != 'per-head' or head not in names or any(c not in CHANNELS for c in chans.split('+')):
            raise SystemExit(f'--tower-channels {spec!r}: needs per-head towers, a head of {names} and channels of {CHANNELS}')
        model.towers[names.index(head)].in_mask[:, 0, 0] = torch.tensor([float(c in chans.split('+')) for c in CHANNELS])
    return model, adj, {'profile': kept, 'added': added}


def fit(ds, args, train_idx: np.ndarray, val_idx: np.ndarray | None, tag: str, seed: int | None = None):
    """Trains on train_idx for args.epochs; returns (model, mu, sd, adjacency, edges, per-epoch val accuracies, x)."""
    seed = args.seed if seed is None else seed
    torch.manual_seed(seed)
    names = [t['name'] for t in ds.targets]
    mu, sd = norm_constants(ds.feats, train_idx)
    x = torch.tensor(normalise(ds.feats, mu, sd, load_spec()['clip']))
    y = torch.tensor(ds.y)
    classes = [len(t['values']) for t in ds.targets]
    model, adj, edges = build_model(args, x.shape[2], classes)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    lossf = torch.nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    gen = torch.Generator().manual_seed(seed)
    history = []
    weights = [float(w) for w in args.loss_weights.split(',')]
    shift, shifted = None, set(args.shift_heads.split(','))
    if args.temp_shift > 0:
        if args.towers != 'per-head':
            raise SystemExit('--temp-shift needs --towers per-head')
        shift = torch.tensor(level_shift(sd), dtype=torch.float32)
    swap, swapped = None, set(args.swap_heads.split(','))
    if args.swap > 0:
        deltas, src, dst = condition_deltas(ds, train_idx, x.numpy(), args.swap_edge)
        yt = ds.y[train_idx, :4]
        ok = ((src[None, :, :] == -1) | (src[None, :, :] == yt[:, None, :])).all(axis=2)   # [n_train, D]
        swap = (torch.tensor(deltas), torch.tensor(src), torch.tensor(dst))
        print(f'{tag}: {len(deltas)} condition-change offsets, {ok.sum(axis=1).mean():.1f} usable per training cycle', flush=True)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = train_idx[torch.randperm(len(train_idx), generator=gen).numpy()]
        total = 0.0
        for i in range(0, len(perm), args.batch):
            b = perm[i:i + args.batch]
            xb = x[b]
            yb = y[b]
            xw = None
            if swap is not None:
                deltas, src, dst = swap
                xw, yb = xb.clone(), yb.clone()
                for _ in range(args.swap_steps):
                    # offsets usable on each cycle: their from-states match the cycle's (current) states
                    okb = ((src[None] == -1) | (src[None] == yb[:, None, :4])).all(dim=2).numpy()      # [batch, D]
                    n = okb.sum(axis=1)
                    draw = torch.rand(len(b), generator=gen).numpy() < args.swap
                    pick = np.minimum((torch.rand(len(b), generator=gen).numpy() * n).astype(np.int64), np.maximum(n - 1, 0))
                    rows = np.flatnonzero(draw & (n > 0))
                    d = torch.tensor(np.argmax(np.cumsum(okb[rows], axis=1) > pick[rows, None], axis=1))   # the pick-th usable offset
                    rows = torch.tensor(rows)
                    xw[rows] += deltas[d]
                    yb[rows, :4] = torch.where(dst[d] >= 0, dst[d], yb[rows, :4])
            if args.noise > 0:
                xb = xb + args.noise * torch.randn(xb.shape, generator=gen)
                if xw is not None:
                    xw = xw + args.noise * torch.randn(xw.shape, generator=gen)
            if args.input_dropout > 0:
                xb = torch.nn.functional.dropout(xb, args.input_dropout)
            per_tower = None
            if shift is not None:
                c = args.temp_shift * torch.randn((len(b), 1, 1), generator=gen)
                xs = xb + c * shift
                per_tower = [xs if names[j] in shifted else xb for j in range(len(names))]
            labels = [y[b, j] for j in range(len(names))]
            if xw is not None:
                per_tower = [xw if names[j] in swapped else (per_tower[j] if per_tower else xb) for j in range(len(names))]
                labels = [yb[:, j] if names[j] in swapped else y[b, j] for j in range(len(names))]
            loss = sum(w * lossf(l, labels[j]) for j, (w, l) in enumerate(zip(weights, model.logits(xb, per_tower))))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(b)
        sched.step()
        if args.swa > 0 and epoch >= args.epochs - args.swa:
            with torch.no_grad():
                cur = {k: v.detach().clone() for k, v in model.state_dict().items()}
                k = epoch - (args.epochs - args.swa)            # epochs averaged before this one
                avg = cur if k == 0 else {n: (avg[n] * k + cur[n]) / (k + 1) for n in cur}
            if epoch == args.epochs - 1:
                model.load_state_dict(avg)
        line = f'{tag} epoch {epoch + 1:3d}/{args.epochs} loss {total / len(train_idx):.4f}'
        if val_idx is not None:
            vacc = accuracies(predict(model, x[val_idx]), ds.y[val_idx])
            history.append(vacc)
            line += f' val {fmt(names, vacc)} mean={np.mean(vacc):.4f}'
        if not args.quiet:
            print(line + f' ({time.time() - t0:.0f} s)', flush=True)
    return model, mu, sd, adj, edges, history, x


def explore(ds, args) -> dict:
    f = fold_of(ds.cycles)
    names = [t['name'] for t in ds.targets]
    vals = [v for v in range(FOLDS) if v != args.test_fold] if args.inner else [args.val_fold if args.val_fold is not None else (args.test_fold + 2) % FOLDS]
    histories, ensembles = [], []
    for v in vals:
        tr = np.where((f != args.test_fold) & (f != v))[0]
        va = np.where(f == v)[0]
        probs = []
        for k in range(args.seeds):
            model, *_, history, x = fit(ds, args, tr, va, f'val fold {v} seed {args.seed + k}', seed=args.seed + k)
            histories.append(history)
            probs.append(predict(model, x[va]))
            wrong = {n: ds.cycles[va[probs[-1][j].argmax(1) != ds.y[va, j]]].tolist() for j, n in enumerate(names)}
            print(f'val fold {v} seed {args.seed + k} misread: ' + '; '.join(f'{n} {len(w)}' + (f' {w}' if len(w) <= 12 else '') for n, w in wrong.items()), flush=True)
            print(f'val fold {v} seed {args.seed + k} last epoch: {fmt(names, history[-1])} mean={np.mean(history[-1]):.4f}', flush=True)
        if args.seeds > 1:
            ens = accuracies([np.mean([p[j] for p in probs], axis=0) for j in range(len(names))], ds.y[va])
            ensembles.append(ens)
            print(f'val fold {v} ensemble of {args.seeds}: {fmt(names, ens)} mean={np.mean(ens):.4f}', flush=True)
    h = np.mean(np.array(histories), axis=0)            # [epochs, targets], mean over validation folds (and seeds)
    best = int(np.argmax(h.mean(axis=1)))
    print(f'EXPLORE (test fold {args.test_fold} untouched) mean over val folds {vals}: last epoch {fmt(names, h[-1])} '
          f'mean={h[-1].mean():.4f}; best epoch {best + 1}: mean={h[best].mean():.4f}', flush=True)
    out = {'valFolds': vals, 'last': dict(zip(names, h[-1].tolist())), 'bestEpoch': best + 1, 'best': dict(zip(names, h[best].tolist()))}
    if ensembles:
        e = np.mean(np.array(ensembles), axis=0)
        print(f'EXPLORE ensemble of {args.seeds} seeds: {fmt(names, e)} mean={e.mean():.4f}', flush=True)
        out['ensemble'] = dict(zip(names, e.tolist()))
    return out


def save(args, run: dict, fold: str) -> None:
    """--save: the trained model for export.py (state, normalisation, adjacency, results, flags); {fold} -> fold."""
    if args.save:
        torch.save({**run, 'args': vars(args)}, args.save.replace('{fold}', fold))


def final(ds, args, test_fold: int | None) -> dict:
    names = [t['name'] for t in ds.targets]
    if test_fold is None:                                   # --split none: every cycle trains, nothing is scored
        tr = np.arange(len(ds.cycles))
        model, mu, sd, adj, edges, _, x = fit(ds, args, tr, None, 'all cycles')
        result = {'testFold': None, 'split': 'none', 'n': {'train': int(len(tr)), 'test': 0}, 'edges': edges}
        save(args, {'state': model.state_dict(), 'mu': mu, 'sd': sd, 'adjacency': adj, 'result': result}, 'all')
        return result
    f, _ = test_folds(ds.cycles, args.split)
    tr = np.where(f != test_fold)[0]
    te = np.where(f == test_fold)[0]
    model, mu, sd, adj, edges, _, x = fit(ds, args, tr, None, f'test fold {test_fold}')
    probs = predict(model, x[te])
    tacc = accuracies(probs, ds.y[te])
    print(f'FINAL test fold {test_fold} ({len(te)} cycles, never used in training or selection): {fmt(names, tacc)}', flush=True)
    result = {
        'testFold': test_fold, 'split': args.split, 'n': {'train': int(len(tr)), 'test': int(len(te))},
        'test': {n: {'accuracy': a, 'confusion': confusion_matrix(ds.y[te, j], probs[j].argmax(1), labels=list(range(len(ds.targets[j]['values'])))).tolist(),
                     'wrongCycles': ds.cycles[te[probs[j].argmax(1) != ds.y[te, j]]].tolist()}
                 for j, (n, a) in enumerate(zip(names, tacc))},
        'edges': edges,
    }
    save(args, {'state': model.state_dict(), 'mu': mu, 'sd': sd, 'adjacency': adj, 'result': result,
                'test_probs': list(probs), 'test_idx': te}, str(test_fold))
    return result


def main(argv=None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    ds = load_dataset()
    if args.mode == 'explore':
        out = explore(ds, args)
    else:
        if args.split == 'none':
            ks = [None]
        elif args.folds:
            ks = range(test_folds(ds.cycles, args.split)[1])
        else:
            ks = [args.test_fold]
        runs = [final(ds, args, k) for k in ks]
        out = {'runs': runs}
        if len(runs) > 1:
            names = [t['name'] for t in ds.targets]
            mean = {n: float(np.mean([r['test'][n]['accuracy'] for r in runs])) for n in names}
            pooled = {n: float(sum(r['test'][n]['accuracy'] * r['n']['test'] for r in runs) / sum(r['n']['test'] for r in runs)) for n in names}
            out['meanOverFolds'] = mean
            out['pooled'] = pooled
            print('FINAL blocked k-fold, pooled over all test folds: ' + fmt(names, pooled.values()), flush=True)
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump({'args': vars(args), **out}, fh, indent=1)


if __name__ == '__main__':
    main()
