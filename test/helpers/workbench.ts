import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BackendStatus } from '../../src/shared/contract'
import { Settings } from '../../src/main/app/settings'
import { createWorkbench, type Workbench } from '../../src/main/app/assemble'

export const tempDir = (prefix = 'affect-test-'): string => mkdtempSync(join(tmpdir(), prefix))

export const FAKE_BACKENDS: BackendStatus[] = [{ backend: 'cpu', available: true, reason: 'always available' }]

/** A workbench on a fresh workspace with its own settings file, for tests. */
export function testWorkbench(options: { workspace?: string } = {}): Workbench & { dir: string; cleanup(): void } {
  const dir = tempDir()
  const wb = createWorkbench({
    transport: 'cli',
    settings: new Settings(join(dir, 'settings.json')),
    workspace: options.workspace ?? join(dir, 'ws'),
    createWorkspace: true,
    probe: async () => FAKE_BACKENDS,
  })
  return Object.assign(wb, {
    dir,
    cleanup() {
      wb.close()
      rmSync(dir, { recursive: true, force: true })
    },
  })
}
