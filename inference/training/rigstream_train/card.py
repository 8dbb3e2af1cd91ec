"""Write MODEL_CARD.md of a package from the result files of train.py, baselines.py and bench.

  python -m rigstream_train.card --package ../models/uci-hydraulic-gnn/1.0.1 --cv results/cv.json \
      --baselines results/baselines.json --cv-flanked results/cv-flanked.json \
      --baselines-flanked results/baselines-flanked.json [--bench results/bench-model.json] [--notes EXPERIMENTS.md]
The package's model is trained on every cycle (train.py --split none); the k-fold files are its estimates.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .common import load_dataset
from .split import BLOCK, FOLDS, flanked_folds

GOALS = {'gb': {'cooler': 1.00, 'valve': 0.78, 'pump': 1.00, 'accumulator': 0.96, 'stable': 0.90},
         'aim': {'cooler': 1.00, 'valve': 0.85, 'pump': 0.995, 'accumulator': 0.98, 'stable': 0.93}}


def pct(v: float) -> str:
    return f'{100 * v:.1f} %'


def compact(cycles: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'"""
    out, start = [], None
    for i, c in enumerate(cycles):
        if start is None:
            start = c
        if i + 1 == len(cycles) or cycles[i + 1] != c + 1:
            out.append(f'{start}' if start == c else f'{start}-{c}')
            start = None
    return ', '.join(out)


def confusion_md(name: str, m: list[list[int]], target: dict) -> str:
    vals = target['values']
    head = '| true \\ predicted | ' + ' | '.join(str(v) for v in vals) + ' | recall |'
    sep = '|---' * (len(vals) + 2) + '|'
    rows = []
    for i, r in enumerate(m):
        tot = sum(r)
        rows.append(f'| **{vals[i]}** ({target["labels"][i]}) | ' + ' | '.join(str(x) for x in r) + f' | {pct(r[i] / tot) if tot else "-"} |')
    return f'**{target["title"]}** ({name})\n\n' + '\n'.join([head, sep, *rows])


def pooled(runs: dict, name: str) -> float:
    right = total = 0
    for r in runs.values():
        m = np.array(r[name]['confusion'])
        right += np.trace(m)
        total += m.sum()
    return right / total


def fold_table(cv: dict, base: dict, names: list[str]) -> list[str]:
    rows = ['| test fold | ' + ' | '.join(names) + ' |', '|---' * (len(names) + 1) + '|']
    for r in cv['runs']:
        fk = f"fold{r['testFold']}"
        rows.append(f"| {r['testFold']} | " + ' | '.join(
            f"{pct(r['test'][n]['accuracy'])} / {pct(base['rf'][fk][n]['accuracy'])} / {pct(base['gb'][fk][n]['accuracy'])}" for n in names) + ' |')
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--package', required=True)
    ap.add_argument('--cv', required=True, help='train.py --mode final --folds (split blocks) of the same configuration')
    ap.add_argument('--baselines', required=True, help='baselines.py --folds (split blocks)')
    ap.add_argument('--cv-flanked', required=True, help='train.py --mode final --folds --split flanked')
    ap.add_argument('--baselines-flanked', required=True, help='baselines.py --folds --split flanked')
    ap.add_argument('--bench', help='JSON line of npm run bench -- model --json')
    ap.add_argument('--notes', help='markdown with what was tried')
    args = ap.parse_args(argv)
    pkg = Path(args.package)
    manifest = json.loads((pkg / 'manifest.json').read_text())
    cv = json.loads(Path(args.cv).read_text())
    base = json.loads(Path(args.baselines).read_text())
    cvf = json.loads(Path(args.cv_flanked).read_text())
    basef = json.loads(Path(args.baselines_flanked).read_text())
    ds = load_dataset()
    targets = manifest['targets']
    names = [t['name'] for t in targets]
    a = manifest['training']['args']
    if manifest['training'].get('test') is not None:
        raise SystemExit('this card is for a model trained on every cycle (train.py --mode final --split none)')
    ff = flanked_folds(ds.cycles)

    gnn_cv = {n: pooled({str(r['testFold']): r['test'] for r in cv['runs']}, n) for n in names}
    rf_cv = {n: pooled(base['rf'], n) for n in names}
    gb_cv = {n: pooled(base['gb'], n) for n in names}
    gnn_fl = {n: pooled({str(r['testFold']): r['test'] for r in cvf['runs']}, n) for n in names}
    rf_fl = {n: pooled(basef['rf'], n) for n in names}
    gb_fl = {n: pooled(basef['gb'], n) for n in names}

    L = []
    L.append(f"# Model card: {manifest['name']} {manifest['version']}\n")
    L.append(f"Diagnostic graph network for the hydraulic test rig of profile `{manifest['profile']}`: five condition "
             f"estimates (cooler, valve, internal pump leakage, accumulator, stable flag) from one 60-second load cycle of "
             f"the 8 channels sampled at 1 Hz. Created {manifest['created']}. Trained on all {len(ds.cycles)} cycles of the "
             f"data; its accuracy is estimated by the same configuration trained without the blocks it is scored on (below).\n")
    L.append('| | |\n|---|---|')
    L.append(f"| file | `model.onnx`, {manifest['model']['bytes']:,} bytes, opset {manifest['model']['opset']}, sha256 `{manifest['model']['sha256']}` |")
    L.append(f"| input | `{manifest['input']['name']}` float32 {manifest['input']['shape']}: {len(manifest['channels'])} sensor nodes ({', '.join(manifest['channels'])}) x {len(manifest['featureNames'])} features, normalised |")
    L.append('| outputs | ' + ', '.join(f"`{o['name']}` {o['shape']}" for o in manifest['outputs']) + ' (class probabilities, softmax) |')
    L.append(f"| architecture | one network, 5 heads, one graph tower per head ({manifest['graph']['architecture']}); "
             f"{manifest['model'].get('nodes', '?')} ONNX nodes after fusing the towers |")
    L.append(f"| feature spec | `inference/feature-spec.json` (sha256 `{manifest['featureSpecSha256'][:16]}...`), embedded in `manifest.json` |")
    L.append('| runtime | `inference/src` (`loadModel`), onnxruntime-node or onnxruntime-web |')
    L.append('| signature | none (bundled with the agents; packages rolled out later are signed with `rigstream model sign`) |\n')

    L.append('## Data and attribution\n')
    L.append('Real measurements from the hydraulic test rig of ZeMA gGmbH, Saarbrücken: UCI Machine Learning Repository, '
             'dataset 447, "Condition monitoring of hydraulic systems", licensed under **CC BY 4.0**. Creators: Nikolai Helwig, '
             'Eliseo Pignanelli, Andreas Schütze. Cite: N. Helwig, E. Pignanelli, A. Schütze, "Condition Monitoring of a Complex '
             'Hydraulic System Using Multivariate Statistics", Proc. I2MTC 2015, doi:10.1109/I2MTC.2015.7151267. '
             'The copy in `edge-agent/data/uci-hydraulic/` (see its ATTRIBUTION.md) holds the 8 channels at 1 Hz '
             '(TS1-TS4, VS1, CE, CP, SE) for 1755 of the 2205 cycles, unchanged; it leaves out 18 blocks of 25 consecutive '
             'cycles (51-75, 176-200, ..., 2176-2200). No simulated data was used for training or for '
             'any figure here. The 100 Hz and 10 Hz channels (pressures, motor power, flows) are not in this copy, so the model '
             'sees none of them.\n')

    L.append('## Sensor graph\n')
    added = manifest['graph']['addedEdges']
    L.append('Nodes are the 8 sensors. Edges are the profile\'s edges (`schemas/profiles/uci-hydraulic.json`) between present '
             'sensors: ' + ', '.join(f'{x}-{y}' for x, y in manifest['graph']['edges']) + '. ' +
             ('Added, because the profile connects these sensors only through sensors absent from this data (each connected group '
              'of absent sensors is contracted, joining the present sensors that touch it): ' + ', '.join(f'{x}-{y}' for x, y in added) + '. '
              if added else
              'No edge was added: joining the sensors that the profile connects only through absent ones (VS1-SE, TS1-VS1, TS1-SE, '
              'TS1-TS3, TS1-CP; `--contract`) was tried and did not help on the validation folds. ') +
             'Edge weights are learned (positive, symmetric; A_hat = D^-1/2 (A_w + I) D^-1/2, fixed in the exported graph).\n')

    L.append('## Training and the two held-out splits\n')
    L.append(f'Neighbouring cycles are nearly identical and conditions change in runs, so no cycle is ever held out on its own: '
             f'every figure below is on contiguous blocks of {BLOCK} cycles that the scoring model never saw.\n')
    L.append(f'- **This model** is trained on all {len(ds.cycles)} cycles for a fixed {a["epochs"]} epochs (no early stopping, '
             'nothing selected on any score). It has no held-out figure of its own; the two estimates below are the same '
             'configuration and seed, trained without the blocks that it is scored on.')
    L.append(f'- **Flanked blocks** (`--split flanked`, `split.py` `flanked_folds`): a block whose neighbouring blocks on both '
             f'sides are in the data is held out, with every other cycle in training. This is the position of the 18 blocks '
             f'that this copy leaves out, for a model trained on all of it. Two folds (blocks at positions 0 and 4 of each '
             f'125 cycles, {int((ff == 0).sum())} and {int((ff == 1).sum())} cycles), each trained on '
             f'{len(ds.cycles) - int((ff == 0).sum())} cycles.')
    L.append(f'- **Blocked {FOLDS}-fold** (`--split blocks`): block b of the run belongs to fold b mod {FOLDS}; each fold is '
             f'scored by a model trained on the other four ({FOLDS} x about 1400 cycles). Some of these blocks border a left-out '
             'block, so their nearest training cycles are 25 cycles away on that side: a harder test than the flanked one.')
    L.append('- The configuration and the epoch count were chosen in `explore` mode on folds 1-4 of the blocked split '
             '(each as validation in turn, training on the other three); see "What was tried". Fold 0 of that split was '
             'scored earlier with package 1.0.0 (the fold-0 model), and the flanked split once with the 1.0.0 configuration; '
             'the condition-change offsets that 1.0.1 added were chosen afterwards, on folds 1-4 only, and so were the '
             'changes of 1.0.2 (offsets drawn twice in turn, temperature-level offsets for the cooler tower, 150 epochs), '
             'after the 1.0.1 configuration had been scored on both splits. The cooler offsets were tried because 1.0.1\'s '
             'flanked score misread the cycles right after the one cooler change from 3 % to 20 %; validation fold 3 holds '
             'the same change, and that is where the choice was made.')
    L.append('- **Baselines** on exactly the same folds, trained on the same cycles (scikit-learn, one model per target): random '
             'forest (300 trees) on the 14 per-channel statistics of the feature spec; gradient boosting (HistGradientBoosting, '
             '300 iterations) on the raw samples plus statistics (all 74 features x 8 channels).\n')

    L.append('## Accuracy on held-out contiguous blocks\n')
    L.append('Pooled over the folds of each split (cycles right / cycles scored):\n')
    L.append('| target | GNN, flanked | RF, flanked | GB, flanked | GNN, 5-fold | RF, 5-fold | GB, 5-fold | issue: GB figure / aim |')
    L.append('|---|---|---|---|---|---|---|---|')
    for n in names:
        L.append(f"| {n} | **{pct(gnn_fl[n])}** | {pct(rf_fl[n])} | {pct(gb_fl[n])} | **{pct(gnn_cv[n])}** | {pct(rf_cv[n])} | "
                 f"{pct(gb_cv[n])} | {pct(GOALS['gb'][n])} / {pct(GOALS['aim'][n])} |")
    L.append('\nPer flanked fold (GNN / RF / GB):\n')
    L.extend(fold_table(cvf, basef, names))
    L.append('\nPer blocked fold (GNN / RF / GB):\n')
    L.extend(fold_table(cv, base, names))
    L.append('')
    short = [n for n in names if gnn_fl[n] < GOALS['gb'][n] or gnn_cv[n] < GOALS['gb'][n]]
    if short:
        L.append('**Shortfalls against the issue\'s gradient-boosting figures:** ' + '; '.join(
            f"{n}: {pct(gnn_fl[n])} flanked, {pct(gnn_cv[n])} over 5 folds, target {pct(GOALS['gb'][n])}" for n in short) +
            '. The same gradient boosting, on the same blocks, reaches ' + ', '.join(
            f"{n} {pct(gb_fl[n])} flanked and {pct(gb_cv[n])} over 5 folds" for n in short) + '.\n')
    aims = [n for n in names if gnn_fl[n] < GOALS['aim'][n]]
    if aims:
        L.append('**Aims not reached (flanked):** ' + ', '.join(f"{n} {pct(gnn_fl[n])} (aim {pct(GOALS['aim'][n])})" for n in aims) + '.\n')

    L.append('Where the GNN errs on the flanked folds (original cycle numbers):\n')
    for n in names:
        w = sorted(c for r in cvf['runs'] for c in r['test'][n].get('wrongCycles', []))
        L.append(f'- {n}: {len(w)} cycles' + (': ' + compact(w) if w else ''))
    L.append('')
    L.append('## Confusion matrices (GNN, both flanked folds together)\n')
    for t in targets:
        m = np.sum([np.array(r['test'][t['name']]['confusion']) for r in cvf['runs']], axis=0).tolist()
        L.append(confusion_md(pct(gnn_fl[t['name']]), m, t))
        L.append('')

    L.append('## Latency and size\n')
    if args.bench:
        b = json.loads(Path(args.bench).read_text().strip().splitlines()[-1])
        bn = b['backends']['onnxruntime-node']
        bw = b['backends']['onnxruntime-web']
        L.append(f"Measured with the TypeScript runtime (`npm run bench -- model --json`, {b['machine']['cpus']} cores, "
                 f"{b['machine']['cpu']}, Node {b['machine']['node']}; one thread per session; features included):\n")
        L.append('| | p50 one window | p99 one window | windows/s batch 1 | batch 64 | batch 1024 |')
        L.append('|---|---|---|---|---|---|')
        for label, x in (('onnxruntime-node (cpu)', bn), ('onnxruntime-web (wasm)', bw)):
            t = x['throughput']
            L.append(f"| {label} | {x['single']['predict']['p50Ms']} ms | {x['single']['predict']['p99Ms']} ms | "
                     f"{t['batch1']['windowsPerSec']:,} | {t['batch64']['windowsPerSec']:,} | {t['batch1024']['windowsPerSec']:,} |")
        L.append(f"\nFeature extraction alone: p50 {bn['single']['featuresOnly']['p50Ms']} ms per window. Targets: p99 <= 0.5 ms "
                 f"(node), <= 2 ms (web). Full figures and the command: docs/benchmarks.md, \"Model\".\n")
    L.append(f"Size: model.onnx {manifest['model']['bytes']:,} bytes; manifest.json (with the normalisation constants) "
             f"{(pkg / 'manifest.json').stat().st_size:,} bytes.\n")

    if args.notes:
        L.append(Path(args.notes).read_text().strip() + '\n')

    L.append('## Limitations\n')
    L.append('- Trained on one rig and one run of about 37 hours; the blocks test interpolation in time within that run, not '
             'another rig, a later season or another sensor installation.')
    L.append('- Only the 1 Hz channels: the accumulator and valve states act mostly on the fast pressure and flow signals, which '
             'this data does not contain. The efficiency factor SE carries most of their signal here.')
    L.append('- The stable flag marks warm-up after a condition change; it is learned from one cycle and cannot see the change itself.')
    L.append('- Inputs outside the training range are clipped at +-20 standard deviations; the probabilities are not calibrated.')
    (pkg / 'MODEL_CARD.md').write_text('\n'.join(L) + '\n')
    print(f'wrote {pkg / "MODEL_CARD.md"}')


if __name__ == '__main__':
    main()
