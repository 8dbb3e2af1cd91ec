// LZ4 and Snappy for kafkajs, which ships only gzip. The codecs are the WebAssembly ones that
// @platformatic/kafka uses (no native add-on). Any kafkajs consumer of rigstream topics must call
// this once: the default producer compresses with lz4 (docs/kafka.md).
import kafkajs from 'kafkajs'
import { lz4Compress, lz4Decompress, snappyCompress, snappyDecompress } from '@platformatic/wasm-utils'

interface Encoder { buffer: Buffer }

let registered = false

/** Registers LZ4 and Snappy in kafkajs's codec table (idempotent, process-wide). */
export function registerKafkajsCodecs (): void {
  if (registered) return
  registered = true
  const { CompressionCodecs, CompressionTypes } = kafkajs
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: Encoder) => lz4Compress(encoder.buffer),
    decompress: async (buffer: Buffer) => lz4Decompress(buffer)
  })
  CompressionCodecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder: Encoder) => snappyCompress(encoder.buffer),
    decompress: async (buffer: Buffer) => snappyDecompress(buffer)
  })
}
