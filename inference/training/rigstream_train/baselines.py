"""Baselines on the same split as the GNN (scikit-learn):
- random forest on per-channel statistics (the 15 statistics of the feature spec, 8 channels);
- gradient boosting (HistGradientBoosting) on the raw samples plus statistics (all 75 features).
One model per target. Usage: python -m rigstream_train.baselines [--folds] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import confusion_matrix

from .common import load_dataset
from .split import split, test_folds

N_RAW = 60


def _fit_predict(kind: str, xtr, ytr, xte, seed: int):
    if kind == 'rf':
        m = RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=2)
    else:
        m = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, random_state=seed)
    m.fit(xtr, ytr)
    return m.predict(xte)


def evaluate(ds, kind: str, test_fold: int, seed: int = 0, how: str = 'blocks') -> dict:
    if how == 'flanked':
        f, _ = test_folds(ds.cycles, how)
        fit, test = np.where(f != test_fold)[0], np.where(f == test_fold)[0]
    else:
        train, val, test = split(ds.cycles, test_fold)
        fit = np.concatenate([train, val])   # baselines do no early stopping: they train on train + val
    feats = ds.feats[:, :, N_RAW:] if kind == 'rf' else ds.feats
    x = feats.reshape(len(feats), -1)
    out = {}
    for j, t in enumerate(ds.targets):
        pred = _fit_predict(kind, x[fit], ds.y[fit, j], x[test], seed)
        k = len(t['values'])
        out[t['name']] = {
            'accuracy': float((pred == ds.y[test, j]).mean()),
            'confusion': confusion_matrix(ds.y[test, j], pred, labels=list(range(k))).tolist()
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--folds', action='store_true', help='blocked k-fold: every fold as test in turn')
    ap.add_argument('--split', choices=['blocks', 'flanked'], default='blocks', help='as train.py --split')
    ap.add_argument('--kinds', default='rf,gb')
    ap.add_argument('--json', help='write the results here')
    args = ap.parse_args()
    ds = load_dataset()
    _, n = test_folds(ds.cycles, args.split)
    folds = range(n) if args.folds else [0]
    results = {}
    for kind in args.kinds.split(','):
        results[kind] = {}
        for f in folds:
            t0 = time.time()
            r = evaluate(ds, kind, f, how=args.split)
            results[kind][f'fold{f}'] = r
            accs = ' '.join(f"{n}={v['accuracy']:.4f}" for n, v in r.items())
            print(f'{kind} test fold {f}: {accs} ({time.time() - t0:.0f} s)', flush=True)
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump(results, fh, indent=1)


if __name__ == '__main__':
    main()
