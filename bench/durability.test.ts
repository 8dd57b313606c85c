import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Workspace } from '../src/main/workspace/workspace'
import { findLostEdits, runDurabilityBench } from './durability'
import { buildSyntheticWorkspace } from './synthetic-workspace'

// The benchmark's figures run from `affect bench durability`; here, that its bookkeeping can see a
// lost edit at all, and one short kill -9 trial loses nothing.
describe('durability benchmark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'durability-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('counts an acknowledged edit that left no label event, or a label holding another value, as lost', () => {
    const path = buildSyntheticWorkspace(join(dir, 'ws'), 20).path
    const ws = Workspace.open(path)
    // AU12 absent on images 5, 6 and 7 (of the AU-only dataset), as the server would have left them.
    ws.db
      .prepare(
        "INSERT OR REPLACE INTO labels (image_id, class_id, value, set_by, set_at) SELECT id, (SELECT id FROM classes WHERE code = 'AU12'), 0, 'test', 0 FROM images WHERE id IN (5, 6, 7)",
      )
      .run()
    ws.close()
    const log = (editId: number, imageId: number, value: 0 | 1, inFlight: 0 | 1 | null = null) => ({
      acked: [{ editId, edit: { imageId, value }, sentAt: 0 }],
      inFlight: inFlight === null ? null : { imageId, value: inFlight },
      latencies: [],
    })
    // 5: acknowledged with an edit id no event has; 6: acknowledged present, stored absent; 7: the
    // acknowledged value replaced by the edit in flight at the kill (allowed).
    expect(findLostEdits(path, [log(999, 5, 0), log(-1, 6, 1), log(-1, 7, 1, 0)])).toEqual({
      lost: 2,
      inFlightApplied: 1,
    })
    expect(findLostEdits(path, [log(-1, 5, 0), log(-1, 6, 0)])).toEqual({ lost: 0, inFlightApplied: 0 })
  })

  it('keeps every acknowledged edit through one kill -9 of the server', async () => {
    const r = await runDurabilityBench({ trials: 1, clients: 2, images: 200 })
    expect(r.acknowledged).toBeGreaterThan(0)
    expect(r.lost).toBe(0)
  })
})
