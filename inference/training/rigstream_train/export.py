"""Export a trained model (train.py --mode final --save run.pt) as a model package:
model.onnx (dynamic batch) + manifest.json, and the parity fixtures for the TypeScript tests.

  python -m rigstream_train.export run.pt --out ../models/uci-hydraulic-gnn/1.0.0 --version 1.0.0 \
      --fixtures ../test/fixtures
"""
from __future__ import annotations

import argparse
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from .common import CHANNELS, load_dataset, load_profile, normalise
from .features import SPEC_PATH, feature_names, load_spec
from .model import DenseGNN, for_export
from .split import BLOCK, FOLDS

OPSET = 17
LATER_DEFAULTS = {'temp_shift': 0.0, 'swap': 0.0}   # options added after some result files were written, at their defaults
INPUT = 'x'
OUTPUT = 'probs'


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rebuild(run: dict, n_features: int, classes: list[int]) -> DenseGNN:
    a = run['args']
    model = DenseGNN(run['adjacency'], n_features, classes, hidden=a['hidden'], layers=a['layers'], trunk=a['trunk'],
                     dropout=a['dropout'], learn_edges=not a['fixed_edges'], encoder=a['encoder'], towers=a['towers'])
    model.load_state_dict(run['state'])
    model.eval()
    return model


def export_onnx(model: torch.nn.Module, n_nodes: int, n_features: int, path: Path) -> None:
    """TorchScript-based exporter (dynamo=False): one self-contained file, IR version 8, which
    onnxruntime-node/-web 1.30 load (they refuse IR 14)."""
    dummy = torch.zeros(2, n_nodes, n_features)
    torch.onnx.export(model, (dummy,), str(path), input_names=[INPUT], output_names=[OUTPUT], opset_version=OPSET,
                      dynamic_axes={INPUT: {0: 'batch'}, OUTPUT: {0: 'batch'}}, dynamo=False)
    onnx.checker.check_model(onnx.load(str(path)))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('run', help='file saved by train.py --mode final --save')
    ap.add_argument('--out', required=True, help='package directory to write')
    ap.add_argument('--name', default='uci-hydraulic-gnn')
    ap.add_argument('--version', required=True)
    ap.add_argument('--fixtures', help='write the parity fixtures (inputs, Python features, outputs) here')
    ap.add_argument('--estimate', action='append', default=[], metavar='NAME=FILE',
                    help='a k-fold result file of train.py (same configuration) whose pooled accuracy goes into the manifest '
                         'as training.estimates[NAME]; for a model trained on every cycle, which has no test fold of its own')
    args = ap.parse_args(argv)
    torch.set_num_threads(2)

    run = torch.load(args.run, weights_only=False)
    ds = load_dataset()
    profile = load_profile()
    spec = load_spec()
    fnames = feature_names(spec)
    names = [t['name'] for t in ds.targets]
    classes = [len(t['values']) for t in ds.targets]
    model = rebuild(run, len(fnames), classes)
    mu, sd = run['mu'], run['sd']
    x = normalise(ds.feats, mu, sd, spec['clip'])
    kmax = max(classes)
    with torch.no_grad():
        pyg = [p.numpy() for p in model(torch.tensor(x))]          # training path (DenseGCNConv)
        infer = for_export(model)
        probs = infer(torch.tensor(x)).numpy()                      # [cycles, targets, kmax]
    split = [probs[:, j, :k] for j, k in enumerate(classes)]
    diff = max(float(np.abs(a - b).max()) for a, b in zip(pyg, split))
    pad = max((float(np.abs(probs[:, j, k:]).max()) for j, k in enumerate(classes) if k < kmax), default=0.0)
    print(f'{type(infer).__name__} vs DenseGCNConv on {len(x)} cycles: max |diff| = {diff:.2e}, padding max {pad:.1e}', flush=True)
    assert diff < 1e-5 and pad == 0.0

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / 'model.onnx'
    export_onnx(infer, len(CHANNELS), len(fnames), onnx_path)
    sess = ort.InferenceSession(str(onnx_path), providers=['CPUExecutionProvider'])
    got = sess.run([OUTPUT], {INPUT: x})[0]
    diff = float(np.abs(got - probs).max())
    print(f'onnxruntime vs torch on {len(x)} cycles: max |diff| = {diff:.2e}', flush=True)
    assert diff < 1e-5
    onnx_model = onnx.load(str(onnx_path))
    ops = [n.op_type for n in onnx_model.graph.node if n.op_type != 'Constant']

    a = run['args']
    result = run['result']
    if result['testFold'] is None:
        split_doc = f'none: trained on all {len(ds.cycles)} cycles (no test fold of its own; see estimates)'
    else:
        split_doc = (f'contiguous blocks of {BLOCK} cycles, block b in fold b mod {FOLDS}; test fold {result["testFold"]}, '
                     'trained on the other folds')
    estimates = {}
    for e in args.estimate:
        key, _, file = e.partition('=')
        cv = json.loads(Path(file).read_text())
        if cv['args']['epochs'] != a['epochs'] or any(cv['args'].get(k, LATER_DEFAULTS.get(k)) != a.get(k, LATER_DEFAULTS.get(k)) for k in ('hidden', 'layers', 'towers', 'lr', 'wd', 'seed', 'noise', 'temp_shift', 'swap', 'swap_heads', 'swap_edge')):
            raise SystemExit(f'{file}: not the configuration of {args.run}')
        estimates[key] = {'split': cv['args'].get('split', 'blocks'), 'folds': len(cv['runs']), 'pooled': cv['pooled']}
    manifest = {
        'name': args.name,
        'version': args.version,
        'created': datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace('+00:00', 'Z'),
        'profile': profile['id'],
        'channels': CHANNELS,
        'samplesPerWindow': spec['samplesPerWindow'],
        'featureSpec': spec,
        'featureSpecSha256': sha256(SPEC_PATH),
        'featureNames': fnames,
        'normalisation': {'mean': mu.tolist(), 'std': sd.tolist()},
        'targets': [{k: t[k] for k in ('name', 'title', 'values', 'labels', 'healthy')} for t in ds.targets],
        'input': {'name': INPUT, 'shape': ['batch', len(CHANNELS), len(fnames)], 'dtype': 'float32'},
        'outputs': [{'name': OUTPUT, 'shape': ['batch', len(classes), kmax], 'dtype': 'float32',
                     'doc': 'class probabilities per target (row t = targets[t]); classes beyond a target\'s count are 0'}],
        'model': {'file': 'model.onnx', 'sha256': sha256(onnx_path), 'bytes': onnx_path.stat().st_size, 'opset': OPSET,
                  'irVersion': onnx_model.ir_version, 'nodes': len(ops), 'ops': sorted(set(ops))},
        'graph': {'edges': run['result']['edges']['profile'], 'addedEdges': run['result']['edges']['added'],
                  'architecture': f"dense GCN: {a['encoder']} encoder, hidden {a['hidden']}, {a['layers']} graph layers, trunk {a['trunk']}"
                                  + f", towers {a['towers']}"},
        'training': {
            'data': 'UCI dataset 447 (ZeMA), 8 channels at 1 Hz, 1755 cycles, CC BY 4.0',
            'split': split_doc,
            'args': a,
            'test': {n: v['accuracy'] for n, v in result['test'].items()} if 'test' in result else None,
            'estimates': estimates,
        },
        'signature': None,
    }
    (out / 'manifest.json').write_text(json.dumps(manifest, indent=1) + '\n')
    print(f'wrote {out}: model.onnx {onnx_path.stat().st_size} bytes, sha256 {manifest["model"]["sha256"]}', flush=True)

    if args.fixtures:
        write_fixtures(Path(args.fixtures), ds, run, x, [got[:, j, :k] for j, k in enumerate(classes)], names, manifest)


def write_fixtures(dirpath: Path, ds, run, x: np.ndarray, probs: list[np.ndarray], names: list[str], manifest: dict) -> None:
    """Eight cycles (first, last, and spread over the test fold) plus edge cases, with Python's
    features and the model's outputs (onnxruntime for Python, CPU)."""
    dirpath.mkdir(parents=True, exist_ok=True)
    te = run['test_idx'] if 'test_idx' in run else np.arange(len(x))   # all-cycles model: spread over the run
    pick = sorted({0, len(x) - 1, *[int(te[k]) for k in np.linspace(1, len(te) - 1, 6).astype(int)]})
    cycles = []
    for i in pick:
        cycles.append({
            'index': i,
            'cycleNumber': int(ds.cycles[i]),
            'window': {c: [float(v) for v in ds.raw[i, k]] for k, c in enumerate(CHANNELS)},
            'features': ds.feats[i].tolist(),
            'input': x[i].tolist(),
            'probs': {n: probs[j][i].tolist() for j, n in enumerate(names)},
        })
    # synthetic windows for the feature code's edge cases (features only, no model output)
    rng = np.random.default_rng(7)
    from .features import channel_features
    edge = {
        'constant': np.full(60, 42.5, dtype=np.float32),
        'ramp': np.arange(60, dtype=np.float32) * np.float32(0.37) - np.float32(3.0),
        'ties': np.repeat(np.array([1.5, -2.25, 1.5, 0.0, 7.0, 7.0], dtype=np.float32), 10),
        'noise': rng.normal(50.0, 12.0, 60).astype(np.float32),
        'spiky': np.where(np.arange(60) % 10 == 9, 80.0, 0.0).astype(np.float32),
    }
    synthetic = [{'name': k, 'samples': [float(v) for v in s], 'features': channel_features(s).tolist()} for k, s in edge.items()]
    (dirpath / 'uci-features-and-outputs.json').write_text(json.dumps({
        'note': 'written by inference/training/rigstream_train/export.py; Python features (float64) and model outputs (onnxruntime, CPU) for the TypeScript parity tests',
        'model': {'name': manifest['name'], 'version': manifest['version'], 'sha256': manifest['model']['sha256']},
        'cycles': cycles, 'synthetic': synthetic}) + '\n')
    print(f'wrote fixtures for {len(cycles)} cycles and {len(synthetic)} synthetic windows to {dirpath}', flush=True)


if __name__ == '__main__':
    main()
