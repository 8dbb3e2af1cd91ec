// Execution providers for the cloud worker: CUDA, then CPU. CUDA is tried only when the installed
// onnxruntime-node build ships the CUDA provider and an NVIDIA GPU is visible; otherwise the
// session is created on CPU directly (no failed CUDA attempt, no noise in the log).
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'

export interface ProviderChoice {
  providers: string[]
  /** why CUDA is or is not in the list */
  reason: string
}

function gpuPresent (): boolean {
  try {
    if (existsSync('/proc/driver/nvidia/gpus') && readdirSync('/proc/driver/nvidia/gpus').length > 0) return true
  } catch {}
  return existsSync('/dev/nvidia0')
}

function cudaInBuild (): boolean | null {
  try {
    const ort = createRequire(import.meta.url)('onnxruntime-node') as { listSupportedBackends?: () => Array<{ name: string, bundled: boolean }> }
    const list = ort.listSupportedBackends?.()
    return list ? list.some(b => b.name === 'cuda') : null
  } catch {
    return null
  }
}

/** 'auto': cuda -> cpu when possible, else cpu; 'cpu' or 'cuda' force one (cuda still falls back to cpu). */
export function chooseProviders (want: 'auto' | 'cpu' | 'cuda' = 'auto'): ProviderChoice {
  if (want === 'cpu') return { providers: ['cpu'], reason: 'CPU asked for' }
  const build = cudaInBuild()
  const gpu = gpuPresent()
  if (want === 'cuda') return { providers: ['cuda', 'cpu'], reason: `CUDA asked for (build has it: ${build}, GPU visible: ${gpu})` }
  if (build && gpu) return { providers: ['cuda', 'cpu'], reason: 'onnxruntime-node has the CUDA provider and a GPU is visible' }
  return { providers: ['cpu'], reason: !build ? 'onnxruntime-node build has no CUDA provider' : 'no NVIDIA GPU visible' }
}
