import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { resourcesDir } from '../app/resources'
import { startHeadlessServer } from '../server/http-server'
import type { Workbench } from '../app/assemble'
import { defaultRendererDir } from './commands/serve'

/** The Electron binary, when its package could download it on this machine (not here: no network). */
function electronBinary(): string | null {
  try {
    const dir = join(createRequire(import.meta.url).resolve('electron'), '..')
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return null
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

/**
 * Opens the workbench on a workspace: the desktop app where Electron can run, else the headless
 * server, whose URL is printed (it serves until Ctrl+C).
 */
export async function openApp(wb: Workbench, workspace: string): Promise<void> {
  const electron = electronBinary()
  const appMain = join(resourcesDir(), '..', 'out', 'main', 'index.js')
  if (electron && existsSync(appMain)) {
    console.log('Opening the desktop app...')
    spawn(electron, [join(resourcesDir(), '..')], {
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, AFFECT_WORKSPACE: workspace },
    }).unref()
    return
  }
  const server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: defaultRendererDir(),
    media: wb.media,
  })
  console.log(`Electron cannot run here, so the workbench is served headless. Open:\n  ${server.url}\n(Ctrl+C to stop)`)
  await new Promise<void>((resolve) => process.once('SIGINT', () => void server.close().then(resolve)))
}
