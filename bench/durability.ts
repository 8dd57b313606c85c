import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Workspace } from '../src/main/workspace/workspace'
import { serveWorkspace } from './serve-process'
import { buildSyntheticWorkspace } from './synthetic-workspace'

/*
 * Durability under kill -9 (issue 10's figures): `affect serve` on a workspace, several clients
 * editing labels as fast as the server answers, the server killed with SIGKILL at a random moment,
 * then the workspace reopened and every acknowledged edit looked for. An edit is lost when the
 * server acknowledged it (answered ok with an edit id) and, after the kill, its label events are
 * missing or a label it set holds another value with no later edit of that label in flight.
 */

const AU = 'AU12'

export interface DurabilityOptions {
  trials?: number
  clients?: number
  images?: number
  seed?: number
}

export interface DurabilityResult {
  trials: number
  clients: number
  acknowledged: number
  lost: number
  /** Labels holding the value of an edit that was in flight (sent, unanswered) at the kill: allowed. */
  inFlightApplied: number
  editsPerSecond: number
  p99Ms: number
}

export interface Edit {
  imageId: number
  value: 0 | 1
}

export interface ClientLog {
  acked: { editId: number; edit: Edit; sentAt: number }[]
  inFlight: Edit | null
  latencies: number[]
}

/** One client: edits its own images one after another until the server stops answering. */
async function client(
  port: number,
  token: string,
  who: string,
  images: number[],
  random: () => number,
): Promise<ClientLog> {
  const log: ClientLog = { acked: [], inFlight: null, latencies: [] }
  for (;;) {
    const edit: Edit = { imageId: images[Math.floor(random() * images.length)], value: random() < 0.5 ? 0 : 1 }
    log.inFlight = edit
    const sentAt = performance.now()
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/labels.edit`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ changes: [{ imageId: edit.imageId, code: AU, value: edit.value }], who }),
      })
      const body = (await response.json()) as { ok: boolean; data?: { editId: number | null } }
      if (!body.ok) throw new Error(`labels.edit refused: ${JSON.stringify(body)}`)
      log.latencies.push(performance.now() - sentAt)
      // An edit that set a label to the value it had changes nothing and records no edit id.
      if (body.data?.editId != null) log.acked.push({ editId: body.data.editId, edit, sentAt })
      else log.acked.push({ editId: -1, edit, sentAt })
      log.inFlight = null
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('labels.edit refused')) throw e
      return log // the server is gone: what was in flight stays in flight
    }
  }
}

/** Looks for every acknowledged edit in the reopened workspace. */
export function findLostEdits(workspace: string, logs: ClientLog[]): { lost: number; inFlightApplied: number } {
  const ws = Workspace.open(workspace)
  try {
    const events = ws.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM label_events WHERE edit_id = ?')
    const label = ws.db.prepare<[number, string], { value: number }>(
      'SELECT l.value FROM labels l JOIN classes c ON c.id = l.class_id WHERE l.image_id = ? AND c.code = ?',
    )
    let lost = 0
    let inFlightApplied = 0
    for (const log of logs) {
      const last = new Map<number, 0 | 1>()
      for (const a of log.acked) {
        if (a.editId > 0 && events.get(a.editId)!.n === 0) lost++
        last.set(a.edit.imageId, a.edit.value)
      }
      for (const [imageId, value] of last) {
        const stored = label.get(imageId, AU)?.value
        if (stored === value) continue
        if (log.inFlight?.imageId === imageId && log.inFlight.value === stored) inFlightApplied++
        else lost++
      }
    }
    return { lost, inFlightApplied }
  } finally {
    ws.close()
  }
}

export async function runDurabilityBench(options: DurabilityOptions = {}): Promise<DurabilityResult> {
  const trials = options.trials ?? 20
  const clients = options.clients ?? 8
  let seed = options.seed ?? 1
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x100000000
  const dir = mkdtempSync(join(tmpdir(), 'affect-durability-'))
  try {
    const workspace = buildSyntheticWorkspace(join(dir, 'ws'), options.images ?? 20_000).path
    const renderer = join(dir, 'renderer')
    mkdirSync(renderer)
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
    // The AU-only dataset's images (synthetic-workspace: ids with id % 10 in 5..8), shared out so clients never race on a label.
    const auImages = Array.from({ length: options.images ?? 20_000 }, (_, i) => i + 1).filter(
      (id) => id % 10 >= 5 && id % 10 <= 8,
    )
    let acknowledged = 0
    let lost = 0
    let inFlightApplied = 0
    let editSeconds = 0
    const latencies: number[] = []
    for (let t = 0; t < trials; t++) {
      const server = await serveWorkspace(workspace, join(dir, `config-${t}`), ['--renderer', renderer])
      const started = performance.now()
      const running = Array.from({ length: clients }, (_, c) =>
        client(
          server.port,
          server.token,
          `coder${c}`,
          auImages.filter((_, i) => i % clients === c),
          random,
        ),
      )
      await new Promise((done) => setTimeout(done, 500 + random() * 2500))
      const exited = new Promise((done) => server.child.once('exit', done))
      server.child.kill('SIGKILL')
      await exited
      editSeconds += (performance.now() - started) / 1000
      const logs = await Promise.all(running)
      const found = findLostEdits(workspace, logs)
      acknowledged += logs.reduce((s, l) => s + l.acked.length, 0)
      lost += found.lost
      inFlightApplied += found.inFlightApplied
      for (const l of logs) latencies.push(...l.latencies)
    }
    latencies.sort((a, b) => a - b)
    return {
      trials,
      clients,
      acknowledged,
      lost,
      inFlightApplied,
      editsPerSecond: acknowledged / editSeconds,
      p99Ms: latencies[Math.floor(0.99 * (latencies.length - 1))] ?? 0,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function durabilityLines(r: DurabilityResult): string[] {
  return [
    `${r.trials} kill -9 trials of \`affect serve\` with ${r.clients} clients editing: ${r.acknowledged.toLocaleString('en')} edits acknowledged, ${r.lost} lost (target 0)`,
    `  ${r.inFlightApplied} edits in flight at a kill were kept anyway; ${r.editsPerSecond.toFixed(0)} edits/s, p99 ${r.p99Ms.toFixed(1)} ms`,
  ]
}
