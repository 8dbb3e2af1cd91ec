// A minimal reader of the ONNX protobuf (onnx/onnx.proto, IR version 3-10): just the messages and
// fields the TypeScript evaluator needs (model, graph, node, attribute, tensor, value info). It
// decodes the protobuf wire format directly, so the agent needs no protobuf descriptor for ONNX.
// Field numbers are those of onnx.proto; anything not listed here is skipped by its wire type.

export class ProtoError extends Error {}

/** Reads protobuf fields from one message's bytes. */
class Reader {
  pos: number
  constructor (readonly buf: Uint8Array, start = 0, readonly end = buf.length) { this.pos = start }

  done (): boolean { return this.pos >= this.end }

  varint (): number {
    // values up to 2^53 are exact; ONNX uses int64 for dims and ints (small in practice)
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint')
      const b = this.buf[this.pos++]!
      result += (b & 0x7f) * mul
      if ((b & 0x80) === 0) return result
      mul *= 128
    }
    throw new ProtoError('varint longer than 10 bytes')
  }

  /** a signed int64 varint as a JS number (negative values are 10-byte two's complement varints) */
  int64 (): number {
    let v = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoError('truncated varint')
      const b = this.buf[this.pos++]!
      v |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) {
        const n = BigInt.asIntN(64, v)
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new ProtoError(`int64 ${n} is beyond 2^53`)
        return Number(n)
      }
      shift += 7n
    }
    throw new ProtoError('varint longer than 10 bytes')
  }

  bytes (): Uint8Array {
    const n = this.varint()
    if (this.pos + n > this.end) throw new ProtoError('length-delimited field runs past the end of its message')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  string (): string { return new TextDecoder().decode(this.bytes()) }

  float (): number {
    if (this.pos + 4 > this.end) throw new ProtoError('truncated float')
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true)
    this.pos += 4
    return v
  }

  skip (wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) {
      const n = this.varint() // read first: `pos += varint()` would add to the pos before the length
      this.pos += n
    }
    else if (wire === 5) this.pos += 4
    else throw new ProtoError(`unsupported wire type ${wire}`)
    if (this.pos > this.end) throw new ProtoError('field runs past the end of its message')
  }

  /** calls fn(field, wire) for each field; fn returns false for a field it did not read */
  fields (fn: (field: number, wire: number) => boolean): void {
    while (!this.done()) {
      const key = this.varint()
      const field = Math.floor(key / 8)
      const wire = key & 7
      if (!fn(field, wire)) this.skip(wire)
    }
  }
}

function sub (r: Reader): Reader {
  const b = r.bytes()
  return new Reader(b)
}

/** repeated int64: packed (wire 2) or one value per field (wire 0) */
function readInts (r: Reader, wire: number, out: number[]): void {
  if (wire === 2) {
    const p = sub(r)
    while (!p.done()) out.push(p.int64())
  } else {
    out.push(r.int64())
  }
}

function readFloats (r: Reader, wire: number, out: number[]): void {
  if (wire === 2) {
    const p = sub(r)
    while (!p.done()) out.push(p.float())
  } else {
    out.push(r.float())
  }
}

/** TensorProto.DataType values this reader can turn into numbers */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const

export interface TensorProto {
  name: string
  dims: number[]
  dataType: number
  /** FLOAT tensors as float32; INT64/INT32 tensors as numbers (shapes, axes) */
  data: Float32Array | number[]
  /** true when the data lives outside the model file (not supported) */
  external: boolean
}

export interface AttributeProto {
  name: string
  type: number
  f?: number
  i?: number
  s?: string
  t?: TensorProto
  floats: number[]
  ints: number[]
  /** a graph-valued attribute (If/Loop/Scan bodies): present, not decoded */
  hasGraph: boolean
}

export interface NodeProto {
  name: string
  opType: string
  domain: string
  inputs: string[]
  outputs: string[]
  attributes: AttributeProto[]
}

export interface ValueInfoProto { name: string, elemType: number, shape: Array<number | string> }

export interface GraphProto {
  name: string
  nodes: NodeProto[]
  initializers: TensorProto[]
  inputs: ValueInfoProto[]
  outputs: ValueInfoProto[]
  sparseInitializers: number
}

export interface ModelProto {
  irVersion: number
  opsets: Array<{ domain: string, version: number }>
  producerName: string
  graph: GraphProto
  /** model-local functions (IR >= 8): present, not supported by the evaluator */
  functions: number
}

function readTensor (r: Reader): TensorProto {
  const t: TensorProto = { name: '', dims: [], dataType: 0, data: [], external: false }
  const held: { raw?: Uint8Array } = {}
  const floats: number[] = []
  const ints: number[] = []
  r.fields((f, w) => {
    switch (f) {
      case 1: readInts(r, w, t.dims); return true
      case 2: t.dataType = r.varint(); return true
      case 4: readFloats(r, w, floats); return true
      case 5: readInts(r, w, ints); return true // int32_data (varints)
      case 7: readInts(r, w, ints); return true // int64_data
      case 8: t.name = r.string(); return true
      case 9: held.raw = r.bytes(); return true
      case 14: t.external = r.varint() === 1; return true // data_location EXTERNAL
      default: return false
    }
  })
  const raw = held.raw
  const count = t.dims.reduce((a, b) => a * b, 1)
  if (t.dataType === DataType.FLOAT) {
    if (raw !== undefined) {
      if (raw.byteLength !== count * 4) throw new ProtoError(`tensor ${t.name}: raw_data has ${raw.byteLength} bytes, dims say ${count} floats`)
      const out = new Float32Array(count)
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
      for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, true)
      t.data = out
    } else {
      t.data = Float32Array.from(floats)
    }
  } else if (t.dataType === DataType.INT64 || t.dataType === DataType.INT32) {
    if (raw !== undefined) {
      const size = t.dataType === DataType.INT64 ? 8 : 4
      if (raw.byteLength !== count * size) throw new ProtoError(`tensor ${t.name}: raw_data has ${raw.byteLength} bytes, dims say ${count} values`)
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
      const out: number[] = []
      for (let i = 0; i < count; i++) out.push(size === 8 ? Number(dv.getBigInt64(i * 8, true)) : dv.getInt32(i * 4, true))
      t.data = out
    } else {
      t.data = ints
    }
  }
  return t
}

function readAttribute (r: Reader): AttributeProto {
  const a: AttributeProto = { name: '', type: 0, floats: [], ints: [], hasGraph: false }
  r.fields((f, w) => {
    switch (f) {
      case 1: a.name = r.string(); return true
      case 2: a.f = r.float(); return true
      case 3: a.i = r.int64(); return true
      case 4: a.s = r.string(); return true
      case 5: a.t = readTensor(sub(r)); return true
      case 6: case 11: a.hasGraph = true; return false
      case 7: readFloats(r, w, a.floats); return true
      case 8: readInts(r, w, a.ints); return true
      case 20: a.type = r.varint(); return true
      default: return false
    }
  })
  return a
}

function readNode (r: Reader): NodeProto {
  const n: NodeProto = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] }
  r.fields(f => {
    switch (f) {
      case 1: n.inputs.push(r.string()); return true
      case 2: n.outputs.push(r.string()); return true
      case 3: n.name = r.string(); return true
      case 4: n.opType = r.string(); return true
      case 5: n.attributes.push(readAttribute(sub(r))); return true
      case 7: n.domain = r.string(); return true
      default: return false
    }
  })
  return n
}

function readValueInfo (r: Reader): ValueInfoProto {
  const v: ValueInfoProto = { name: '', elemType: 0, shape: [] }
  r.fields(f => {
    if (f === 1) { v.name = r.string(); return true }
    if (f !== 2) return false
    // TypeProto { tensor_type = 1: { elem_type = 1, shape = 2: { dim = 1: { dim_value = 1 | dim_param = 2 } } } }
    const type = sub(r)
    type.fields(tf => {
      if (tf !== 1) return false
      const tensor = sub(type)
      tensor.fields(ef => {
        if (ef === 1) { v.elemType = tensor.varint(); return true }
        if (ef !== 2) return false
        const shape = sub(tensor)
        shape.fields(sf => {
          if (sf !== 1) return false
          const dim = sub(shape)
          let d: number | string = '?'
          dim.fields(df => {
            if (df === 1) { d = dim.int64(); return true }
            if (df === 2) { d = dim.string(); return true }
            return false
          })
          v.shape.push(d)
          return true
        })
        return true
      })
      return true
    })
    return true
  })
  return v
}

function readGraph (r: Reader): GraphProto {
  const g: GraphProto = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], sparseInitializers: 0 }
  r.fields(f => {
    switch (f) {
      case 1: g.nodes.push(readNode(sub(r))); return true
      case 2: g.name = r.string(); return true
      case 5: g.initializers.push(readTensor(sub(r))); return true
      case 11: g.inputs.push(readValueInfo(sub(r))); return true
      case 12: g.outputs.push(readValueInfo(sub(r))); return true
      case 15: g.sparseInitializers++; return false
      default: return false
    }
  })
  return g
}

/** Decodes an ONNX ModelProto; throws ProtoError when the bytes are not one. */
export function readModel (bytes: Uint8Array): ModelProto {
  const r = new Reader(bytes)
  const m: ModelProto = { irVersion: 0, opsets: [], producerName: '', graph: undefined as unknown as GraphProto, functions: 0 }
  let graphs = 0
  r.fields(f => {
    switch (f) {
      case 1: m.irVersion = r.varint(); return true
      case 2: m.producerName = r.string(); return true
      case 7: m.graph = readGraph(sub(r)); graphs++; return true
      case 8: {
        const o = sub(r)
        const set = { domain: '', version: 0 }
        o.fields(of => {
          if (of === 1) { set.domain = o.string(); return true }
          if (of === 2) { set.version = o.int64(); return true }
          return false
        })
        m.opsets.push(set)
        return true
      }
      case 25: m.functions++; return false
      default: return false
    }
  })
  if (graphs !== 1 || m.irVersion < 1) throw new ProtoError('not an ONNX model (no ir_version or no graph)')
  return m
}
