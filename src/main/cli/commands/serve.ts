import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { resourcesDir } from '../../resources'
import { findDownload } from '../../export/exports-service'
import { startHeadlessServer } from '../../server/http-server'
import { createWorkbench } from '../../workbench'
import { Workspace } from '../../workspace/workspace'
import { CliExit } from '../call'

/** The renderer build beside resources/ (out/renderer), made by `npm install` (prepare) or `npm run build`. */
export const defaultRendererDir = (): string => join(resourcesDir(), '..', 'out', 'renderer')

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('headless mode: serve the workbench to a browser on 127.0.0.1 (reach a GPU box through an SSH tunnel)')
    .option('-p, --port <n>', 'port (0 = any free one)', '0')
    .option('-w, --workspace <dir>', 'workspace to open (created when the folder is new); default: the last one')
    .option('--renderer <dir>', 'renderer build to serve', defaultRendererDir())
    .action(async (opts: { port: string; workspace?: string; renderer: string }) => {
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliExit(2, `--port must be a whole number from 0 to 65535, not "${opts.port}".`)
      if (!existsSync(join(opts.renderer, 'index.html'))) throw new CliExit(1, `No renderer build in ${opts.renderer}: run \`npm run build\` first.`)
      const wb = createWorkbench({ transport: 'headless', workspace: opts.workspace, createWorkspace: true })
      if (!opts.workspace) {
        const last = wb.ctx.settings.recentWorkspaces.find((p) => Workspace.isWorkspace(p))
        if (last) wb.ctx.setWorkspace(Workspace.open(last))
      }
      const download = (id: string, part: 'csv' | 'sidecar') => findDownload(wb.ctx.requireWorkspace(), id, part)
      const server = await startHeadlessServer({ router: wb.router, events: wb.ctx.events, rendererDir: opts.renderer, media: wb.media, download }, port)
      console.log(`Affect Workbench is serving on 127.0.0.1:${server.port}`)
      console.log(`Open: ${server.url}`)
      const stop = async () => {
        await server.close()
        wb.close()
        process.exit(0)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
}
