// A small evaluator of ONNX graphs in plain TypeScript, for the model runtime's third backend
// ('ts'). It runs the same model.onnx as ONNX Runtime, node by node, in float32 tensors, and
// implements only the operators the reference model (the dense-adjacency GCN) exports to, plus a
// few of the same kind. A graph with anything else (another operator or domain, a graph-valued
// attribute, model-local functions, external or sparse weights, a non-float input) is refused at
// compile time with RS_ERR_MODEL_UNSUPPORTED, naming what is missing, so the caller can fall
// back to ONNX Runtime. Why it exists: ONNX Runtime costs the edge agent about 26-30 MB of
// resident memory for a model of 28 nodes and 450 kB of weights (docs/benchmarks.md, "Edge agent").
import { rsError } from '../../../common/src/errors.js'
import { DataType, ProtoError, readModel, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto.js'

/** A float32 tensor (row-major) or an int64 tensor (shapes, as plain numbers). */
interface Tensor { dims: number[], data: Float32Array | number[] }

type Kernel = (inputs: Array<Tensor | undefined>) => Tensor
type KernelFactory = (node: NodeProto, opset: number) => Kernel

/** Operators in the default ONNX domain this evaluator implements, with the opset range it follows. */
export const SUPPORTED_OPS: readonly string[] = ['Add', 'Sub', 'Mul', 'Div', 'MatMul', 'Relu', 'Sigmoid', 'Tanh', 'Softmax', 'Reshape', 'Transpose', 'Constant', 'Identity']
/** opset versions whose semantics of the operators above are the ones implemented here */
export const OPSET_RANGE = { min: 13, max: 21 } as const

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1)

function unsupported (detail: string): Error {
  return rsError('RS_ERR_MODEL_UNSUPPORTED', detail)
}

function floats (t: Tensor | undefined, op: string): Float32Array {
  if (t === undefined || !(t.data instanceof Float32Array)) throw rsError('RS_ERR_MODEL_LOAD', `${op}: expects a float32 input`)
  return t.data
}

function attr (node: NodeProto, name: string): AttributeProto | undefined {
  return node.attributes.find(a => a.name === name)
}

/** numpy-style broadcast of two shapes */
function broadcastDims (a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1
    const y = b[b.length - n + i] ?? 1
    if (x !== y && x !== 1 && y !== 1) throw rsError('RS_ERR_MODEL_LOAD', `${op}: shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`)
    out.push(x === 1 ? y : x)
  }
  return out
}

/** for each output index of a broadcast, the flat index into an input of shape `dims` */
function broadcastIndex (outDims: readonly number[], dims: readonly number[]): Int32Array {
  const n = outDims.length
  const padded = [...Array<number>(n - dims.length).fill(1), ...dims]
  const strides = new Array<number>(n)
  let s = 1
  for (let i = n - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 ? 0 : s
    s *= padded[i]!
  }
  const total = size(outDims)
  const idx = new Int32Array(total)
  const counter = new Array<number>(n).fill(0)
  let at = 0
  for (let k = 0; k < total; k++) {
    idx[k] = at
    for (let d = n - 1; d >= 0; d--) {
      counter[d]!++
      at += strides[d]!
      if (counter[d]! < outDims[d]!) break
      at -= strides[d]! * outDims[d]!
      counter[d] = 0
    }
  }
  return idx
}

function binary (fn: (x: number, y: number) => number, op: string): KernelFactory {
  return () => ([a, b]) => {
    const x = floats(a, op)
    const y = floats(b, op)
    const dims = broadcastDims(a!.dims, b!.dims, op)
    const out = new Float32Array(size(dims))
    if (x.length === out.length && y.length === out.length) {
      for (let i = 0; i < out.length; i++) out[i] = fn(x[i]!, y[i]!)
    } else {
      const ia = broadcastIndex(dims, a!.dims)
      const ib = broadcastIndex(dims, b!.dims)
      for (let i = 0; i < out.length; i++) out[i] = fn(x[ia[i]!]!, y[ib[i]!]!)
    }
    return { dims, data: out }
  }
}

function unary (fn: (x: number) => number, op: string): KernelFactory {
  return () => ([a]) => {
    const x = floats(a, op)
    const out = new Float32Array(x.length)
    for (let i = 0; i < x.length; i++) out[i] = fn(x[i]!)
    return { dims: [...a!.dims], data: out }
  }
}

/** numpy matmul: batched over leading dims (broadcast), 1-D operands promoted and squeezed */
const matMul: KernelFactory = () => ([a, b]) => {
  const x = floats(a, 'MatMul')
  const y = floats(b, 'MatMul')
  const ad = a!.dims.length === 1 ? [1, a!.dims[0]!] : a!.dims
  const bd = b!.dims.length === 1 ? [b!.dims[0]!, 1] : b!.dims
  const m = ad[ad.length - 2]!
  const k = ad[ad.length - 1]!
  const n = bd[bd.length - 1]!
  if (bd[bd.length - 2] !== k) throw rsError('RS_ERR_MODEL_LOAD', `MatMul: [${a!.dims.join(',')}] x [${b!.dims.join(',')}]: inner dimensions differ`)
  const batch = broadcastDims(ad.slice(0, -2), bd.slice(0, -2), 'MatMul')
  const nb = size(batch)
  const ia = broadcastIndex(batch, ad.slice(0, -2))
  const ib = broadcastIndex(batch, bd.slice(0, -2))
  const out = new Float32Array(nb * m * n)
  const row = new Float64Array(n)
  for (let p = 0; p < nb; p++) {
    const ao = ia[p]! * m * k
    const bo = ib[p]! * k * n
    const oo = p * m * n
    for (let i = 0; i < m; i++) {
      row.fill(0)
      for (let t = 0; t < k; t++) {
        const v = x[ao + i * k + t]!
        if (v === 0) continue
        const bt = bo + t * n
        for (let j = 0; j < n; j++) row[j]! += v * y[bt + j]!
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j]!
    }
  }
  const dims = [...batch, m, n]
  if (a!.dims.length === 1) dims.splice(dims.length - 2, 1)
  if (b!.dims.length === 1) dims.pop()
  return { dims, data: out }
}

const transpose: KernelFactory = node => {
  const given = attr(node, 'perm')?.ints
  return ([a]) => {
    const x = floats(a, 'Transpose')
    const d = a!.dims
    const perm = given !== undefined && given.length > 0 ? given : d.map((_, i) => d.length - 1 - i)
    if (perm.length !== d.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) throw rsError('RS_ERR_MODEL_LOAD', `Transpose: perm [${perm.join(',')}] does not fit rank ${d.length}`)
    const dims = perm.map(p => d[p]!)
    const inStrides = new Array<number>(d.length)
    let s = 1
    for (let i = d.length - 1; i >= 0; i--) { inStrides[i] = s; s *= d[i]! }
    const strides = perm.map(p => inStrides[p]!)
    const out = new Float32Array(x.length)
    const counter = new Array<number>(dims.length).fill(0)
    let at = 0
    for (let k = 0; k < out.length; k++) {
      out[k] = x[at]!
      for (let q = dims.length - 1; q >= 0; q--) {
        counter[q]!++
        at += strides[q]!
        if (counter[q]! < dims[q]!) break
        at -= strides[q]! * dims[q]!
        counter[q] = 0
      }
    }
    return { dims, data: out }
  }
}

const reshape: KernelFactory = node => {
  const allowZero = (attr(node, 'allowzero')?.i ?? 0) === 1
  return ([a, shape]) => {
    if (a === undefined || shape === undefined || shape.data instanceof Float32Array) throw rsError('RS_ERR_MODEL_LOAD', 'Reshape: expects data and an int64 shape')
    const want = shape.data.map((v, i) => (v === 0 && !allowZero ? a.dims[i]! : v))
    const known = want.filter(v => v !== -1)
    const total = size(a.dims)
    if (want.length - known.length > 1) throw rsError('RS_ERR_MODEL_LOAD', 'Reshape: more than one -1 in the shape')
    if (known.length < want.length) {
      const rest = size(known)
      if (rest === 0 || total % rest !== 0) throw rsError('RS_ERR_MODEL_LOAD', `Reshape: [${a.dims.join(',')}] cannot become [${shape.data.join(',')}]`)
      want[want.indexOf(-1)] = total / rest
    }
    if (size(want) !== total) throw rsError('RS_ERR_MODEL_LOAD', `Reshape: [${a.dims.join(',')}] cannot become [${shape.data.join(',')}]`)
    return { dims: want, data: a.data } // same data, row-major: no copy
  }
}

/** opset >= 13: softmax along one axis (default -1) */
const softmax: KernelFactory = node => {
  const axisAttr = attr(node, 'axis')?.i ?? -1
  return ([a]) => {
    const x = floats(a, 'Softmax')
    const d = a!.dims
    const axis = axisAttr < 0 ? axisAttr + d.length : axisAttr
    if (axis < 0 || axis >= d.length) throw rsError('RS_ERR_MODEL_LOAD', `Softmax: axis ${axisAttr} does not fit rank ${d.length}`)
    const len = d[axis]!
    const inner = size(d.slice(axis + 1))
    const outer = size(d.slice(0, axis))
    const out = new Float32Array(x.length)
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i
        let max = -Infinity
        for (let c = 0; c < len; c++) max = Math.max(max, x[base + c * inner]!)
        let sum = 0
        for (let c = 0; c < len; c++) sum += Math.exp(x[base + c * inner]! - max)
        for (let c = 0; c < len; c++) out[base + c * inner] = Math.exp(x[base + c * inner]! - max) / sum
      }
    }
    return { dims: [...d], data: out }
  }
}

function tensorOf (t: TensorProto): Tensor {
  if (t.external) throw unsupported(`tensor ${t.name} keeps its data outside the model file`)
  if (t.dataType !== DataType.FLOAT && t.dataType !== DataType.INT64) throw unsupported(`tensor ${t.name} has data type ${t.dataType} (only float32 and int64 are implemented)`)
  if (t.data.length !== size(t.dims)) throw rsError('RS_ERR_MODEL_LOAD', `tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(',')}]`)
  return { dims: t.dims, data: t.data }
}

const constant: KernelFactory = node => {
  const value = attr(node, 'value')
  if (value?.t === undefined || node.attributes.length !== 1) throw unsupported(`Constant ${node.name}: only the tensor-valued form (attribute value) is implemented`)
  const t = tensorOf(value.t)
  return () => t
}

const KERNELS: Record<string, KernelFactory> = {
  Add: binary((x, y) => x + y, 'Add'),
  Sub: binary((x, y) => x - y, 'Sub'),
  Mul: binary((x, y) => x * y, 'Mul'),
  Div: binary((x, y) => x / y, 'Div'),
  MatMul: matMul,
  Relu: unary(x => (x > 0 ? x : 0), 'Relu'),
  Sigmoid: unary(x => 1 / (1 + Math.exp(-x)), 'Sigmoid'),
  Tanh: unary(Math.tanh, 'Tanh'),
  Softmax: softmax,
  Reshape: reshape,
  Transpose: transpose,
  Constant: constant,
  Identity: () => ([a]) => { if (a === undefined) throw rsError('RS_ERR_MODEL_LOAD', 'Identity: no input'); return a }
}

interface Step { node: NodeProto, kernel: Kernel }

export interface CompiledGraph {
  inputNames: string[]
  outputNames: string[]
  /** declared input shape (dims may be names, e.g. 'batch') */
  inputShape: Array<number | string>
  opset: number
  nodes: number
  /** input [n, ...dims] float32 -> one Float32Array per output */
  run (input: Float32Array, dims: readonly number[]): Float32Array[]
}

/**
 * Parses model.onnx and prepares it for evaluation. RS_ERR_MODEL_UNSUPPORTED names the first
 * thing the evaluator does not implement; RS_ERR_MODEL_LOAD means the bytes are not a valid model.
 */
export function compileOnnx (bytes: Uint8Array): CompiledGraph {
  let model: ModelProto
  try {
    model = readModel(bytes)
  } catch (err) {
    if (err instanceof ProtoError) throw rsError('RS_ERR_MODEL_LOAD', `model.onnx is not an ONNX model: ${err.message}`, err)
    throw err
  }
  const g = model.graph
  const opset = model.opsets.find(o => o.domain === '' || o.domain === 'ai.onnx')?.version
  if (opset === undefined) throw unsupported('the model imports no default-domain opset')
  if (opset < OPSET_RANGE.min || opset > OPSET_RANGE.max) throw unsupported(`opset ${opset} (the TypeScript evaluator implements opsets ${OPSET_RANGE.min}-${OPSET_RANGE.max})`)
  if (model.functions > 0) throw unsupported('the model defines local functions')
  if (g.sparseInitializers > 0) throw unsupported('the graph has sparse initializers')
  const values = new Map<string, Tensor>()
  for (const t of g.initializers) values.set(t.name, tensorOf(t))
  const inputs = g.inputs.filter(i => !values.has(i.name))
  if (inputs.length !== 1) throw unsupported(`the graph has ${inputs.length} inputs (the evaluator takes one)`)
  const input = inputs[0]!
  if (input.elemType !== DataType.FLOAT) throw unsupported(`input ${input.name} has element type ${input.elemType} (only float32 is implemented)`)
  for (const o of g.outputs) if (o.elemType !== DataType.FLOAT) throw unsupported(`output ${o.name} has element type ${o.elemType} (only float32 is implemented)`)

  const defined = new Set<string>([...values.keys(), input.name])
  const steps: Step[] = []
  for (const node of g.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') throw unsupported(`node ${node.name || node.opType} is in domain ${node.domain}`)
    const factory = KERNELS[node.opType]
    if (factory === undefined) throw unsupported(`operator ${node.opType} (node ${node.name || '?'}); the TypeScript evaluator implements ${SUPPORTED_OPS.join(', ')}`)
    if (node.attributes.some(a => a.hasGraph)) throw unsupported(`node ${node.name || node.opType} has a graph-valued attribute`)
    for (const i of node.inputs) {
      if (i !== '' && !defined.has(i)) throw rsError('RS_ERR_MODEL_LOAD', `node ${node.name || node.opType} reads ${i} before any node writes it (graph not in topological order)`)
    }
    if (node.outputs.length !== 1) throw unsupported(`node ${node.name || node.opType} has ${node.outputs.length} outputs`)
    steps.push({ node, kernel: factory(node, opset) })
    defined.add(node.outputs[0]!)
  }
  const outputNames = g.outputs.map(o => o.name)
  for (const o of outputNames) if (!defined.has(o)) throw rsError('RS_ERR_MODEL_LOAD', `graph output ${o} is never written`)
  // how many nodes still read each value: intermediates are dropped once read for the last time
  const lastUse = new Map<string, number>()
  steps.forEach((s, i) => { for (const name of s.node.inputs) lastUse.set(name, i) })

  return {
    inputNames: [input.name],
    outputNames,
    inputShape: input.shape,
    opset,
    nodes: steps.length,
    run (data, dims) {
      if (dims.length !== input.shape.length) throw rsError('RS_ERR_MODEL_INPUT', `input has rank ${dims.length}, the model takes ${input.shape.length}`)
      input.shape.forEach((d, i) => {
        if (typeof d === 'number' && d !== dims[i]) throw rsError('RS_ERR_MODEL_INPUT', `input dimension ${i} is ${dims[i]}, the model takes ${d}`)
      })
      if (data.length !== size(dims)) throw rsError('RS_ERR_MODEL_INPUT', `input has ${data.length} values for dims [${dims.join(',')}]`)
      const live = new Map<string, Tensor>(values)
      live.set(input.name, { dims: [...dims], data })
      steps.forEach((s, i) => {
        const out = s.kernel(s.node.inputs.map(n => (n === '' ? undefined : live.get(n))))
        live.set(s.node.outputs[0]!, out)
        for (const name of s.node.inputs) if (lastUse.get(name) === i && !values.has(name) && !outputNames.includes(name)) live.delete(name)
      })
      return outputNames.map(n => {
        const t = live.get(n)!
        if (!(t.data instanceof Float32Array)) throw rsError('RS_ERR_MODEL_LOAD', `output ${n} is not float32`)
        return t.data
      })
    }
  }
}
