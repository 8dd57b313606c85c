import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/*
 * The PyTorch peer of the training benchmark (bench/torch_resnet_peer.py): the same
 * CIFAR ResNet-(6n+2), 18 sigmoid outputs, random 32x32 inputs, SGD with momentum, timed after two
 * warm-up steps. It prints one line ending in "img/s <number>".
 */

export const DEFAULT_PYTHON = '/usr/bin/python3'

export interface PeerAvailability {
  ok: boolean
  /** PyTorch version, or why the peer cannot run (in words a user can act on). */
  detail: string
}

export interface PeerRun {
  imagesPerSecond: number
  /** The peer's own output line (version, depth, batch, threads, ms/step). */
  line: string
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }))
      else resolve({ stdout, stderr })
    })
  })
}

export function peerScript(): string {
  return join(import.meta.dirname, 'torch_resnet_peer.py')
}

export async function torchAvailability(python = DEFAULT_PYTHON): Promise<PeerAvailability> {
  if (!existsSync(python))
    return {
      ok: false,
      detail: `${python} not found: install Python 3 and PyTorch (Debian: apt-get install python3-torch)`,
    }
  try {
    const { stdout } = await run(python, ['-c', 'import torch; print(torch.__version__)'], 60_000)
    return { ok: true, detail: `PyTorch ${stdout.trim()}` }
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '')
    if (/No module named .?torch/.test(stderr))
      return { ok: false, detail: `PyTorch is not installed for ${python} (Debian: apt-get install python3-torch)` }
    return {
      ok: false,
      detail: `${python} could not import torch: ${stderr.trim().split('\n').pop() ?? (e as Error).message}`,
    }
  }
}

/** Parses the peer's "... img/s 372.9" line. */
export function parsePeerLine(stdout: string): PeerRun {
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => /img\/s/.test(l))
    .pop()
  const m = line?.match(/img\/s\s+([\d.]+)/)
  if (!line || !m)
    throw new Error(`the PyTorch peer printed no "img/s" figure: ${stdout.trim().slice(0, 200) || '(no output)'}`)
  return { imagesPerSecond: Number(m[1]), line: line.trim() }
}

/** One run of the peer: ResNet-(6n+2) with n blocks per stage, batch, CPU threads; SGD steps or evaluation-mode inference. */
export async function runTorchPeer(opts: {
  blocksPerStage: number
  batch: number
  threads: number
  mode?: 'train' | 'infer'
  python?: string
}): Promise<PeerRun> {
  const script = peerScript()
  if (!existsSync(script)) throw new Error(`PyTorch peer script missing: ${script}`)
  const args = [script, String(opts.blocksPerStage), String(opts.batch), String(opts.threads), opts.mode ?? 'train']
  try {
    const { stdout } = await run(opts.python ?? DEFAULT_PYTHON, args, 15 * 60_000)
    return parsePeerLine(stdout)
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim()
    if (stderr) throw new Error(`the PyTorch peer failed: ${stderr.split('\n').pop()}`, { cause: e })
    throw e
  }
}
