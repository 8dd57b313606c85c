import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { resourcesDir } from '../../app/resources'
import { findDownload } from '../../export/exports-service'
import { startHeadlessServer, type HeadlessServer } from '../../server/http-server'
import { createWorkbench, type Workbench } from '../../app/assemble'
import { Workspace } from '../../workspace/workspace'
import { labAuth } from '../../coders/lab-auth'
import { CliExit } from '../call'
import { numberOption } from '../options'
import { startupFailure } from '../startup-failure'

/** The renderer build beside resources/ (out/renderer), made by `npm install` (prepare) or `npm run build`. */
export const defaultRendererDir = (): string => join(resourcesDir(), '..', 'out', 'renderer')

/** A TCP port; 0 asks the system for any free one. */
const portSchema = z.number().int().min(0).max(65535)

interface ServeOptions {
  port: number
  workspace?: string
  renderer: string
  lab?: boolean
  admin: string
}

/** Opens the workspace (taking its server lock) and listens; any failure closes what was opened. */
async function start(opts: ServeOptions, port: number): Promise<{ wb: Workbench; server: HeadlessServer }> {
  let wb: Workbench | null = null
  try {
    wb = createWorkbench({ transport: 'headless', workspace: opts.workspace, createWorkspace: true })
    const ctx = wb.ctx
    if (!opts.workspace) {
      const last = ctx.settings.recentWorkspaces.find((p) => Workspace.isWorkspace(p))
      if (last) ctx.openWorkspace(last)
    }
    const download = (id: string, part: 'csv' | 'sidecar') => findDownload(ctx.requireWorkspace(), id, part)
    const server = await startHeadlessServer(
      {
        router: wb.router,
        events: ctx.events,
        rendererDir: opts.renderer,
        media: wb.media,
        download,
        lab: opts.lab ? labAuth(ctx, opts.admin) : undefined,
      },
      port,
    )
    ctx.listeningOn(server.port)
    return { wb, server }
  } catch (e) {
    const workspace = wb?.ctx.workspace?.path ?? opts.workspace
    wb?.close()
    throw new CliExit(1, startupFailure(e, { port, workspace }))
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('headless mode: serve the workbench to a browser on 127.0.0.1 (reach a GPU box through an SSH tunnel)')
    .option('-p, --port <n>', 'port (0 = any free one)', numberOption('--port', portSchema), 0)
    .option('-w, --workspace <dir>', 'workspace to open (created when the folder is new); default: the last one')
    .option('--renderer <dir>', 'renderer build to serve', defaultRendererDir())
    .option(
      '--lab',
      'lab mode: the printed link is the admin’s; each coder gets a personal link (Coders view, or affect coders add)',
    )
    .option('--admin <name>', 'the admin’s name, as their edits record it (lab mode)', userInfo().username || 'admin')
    .action(async (opts: ServeOptions) => {
      const port = opts.port
      if (!existsSync(join(opts.renderer, 'index.html')))
        throw new CliExit(1, `No renderer build in ${opts.renderer}: run \`npm run build\` first.`)
      const { wb, server } = await start(opts, port)
      console.log(`Affect Workbench is serving on 127.0.0.1:${server.port}`)
      console.log(`Open: ${server.url}`)
      if (opts.lab)
        console.log(
          `Lab mode: that link is the admin's (yours alone: it adds and revokes coders). Each coder's link: http://127.0.0.1:${server.port}/?token=<their token>, from the Coders view or \`affect coders add NAME --workspace ...\`.`,
        )
      const stop = async () => {
        await server.close()
        wb.close()
        process.exit(0)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
}
