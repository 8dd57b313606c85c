import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { DemoResult, ImportReport } from '../../shared/contract'
import type { WorkbenchContext } from '../app/context'
import { generateDemo } from '../demo/generate'
import type { DemoSize } from '../demo/plan'
import { importDataset } from '../import/import-dataset'
import { storeDemoLandmarks } from './demo-landmarks'
import type { Workspace } from './workspace'

/** Where "Create demo workspace" puts it when the user gives no folder. */
export const defaultDemoPath = (): string => join(homedir(), 'affect-workbench', 'demo-workspace')

function previousDemo(ws: Workspace): { seed: number; size: string } | null {
  const file = join(ws.path, 'demo', 'demo-manifest.json')
  if (!existsSync(file)) return null
  const m = JSON.parse(readFileSync(file, 'utf8')) as { seed: number; size: string }
  return { seed: m.seed, size: m.size }
}

/**
 * Creates or refreshes a workspace with the generated demo datasets and opens it. The faces are
 * drawn into <workspace>/demo and imported through the ordinary CSV importer; the hidden truth
 * stays beside them (truth.json) and never enters the catalogue's labels.
 */
export async function createDemoWorkspace(
  ctx: WorkbenchContext,
  options: { path?: string; size: DemoSize; seed: number },
): Promise<DemoResult> {
  const path = options.path ?? defaultDemoPath()
  const ws = ctx.workspace && ctx.workspace.path === resolve(path) ? ctx.workspace : ctx.openOrCreateWorkspace(path)
  const previous = previousDemo(ws)
  const changed = previous && (previous.seed !== options.seed || previous.size !== options.size)
  const outDir = join(ws.path, 'demo')
  const manifest = await generateDemo({
    outDir,
    seed: options.seed,
    size: options.size,
    onProgress: (done, total) => {
      if (done === total || done % 50 === 0) ctx.events.publish('demo.progress', { phase: 'drawing', done, total })
    },
  })
  if (changed) {
    // Other faces at the same paths: the old demo datasets (and their runs' predictions) go.
    ws.db
      .prepare(`DELETE FROM datasets WHERE name IN (${manifest.datasets.map(() => '?').join(',')})`)
      .run(...manifest.datasets.map((d) => d.name))
  }
  const reports: ImportReport[] = []
  for (const [i, d] of manifest.datasets.entries()) {
    ctx.events.publish('demo.progress', { phase: 'importing', done: i, total: manifest.datasets.length })
    reports.push(
      await importDataset(
        ws,
        { format: 'csv', faces: 'whole', path: d.labelsCsv, name: d.name, setBy: 'demo generator' },
        ctx.events,
      ),
    )
    storeDemoLandmarks(ws.db, d.name, d.landmarksJson)
  }
  ctx.events.publish('demo.progress', {
    phase: 'importing',
    done: manifest.datasets.length,
    total: manifest.datasets.length,
  })
  ctx.events.publish('workspace.changed', { workspace: ws.info() })
  return { workspace: ws.info(), faces: manifest.faces, seed: manifest.seed, size: manifest.size, reports }
}
