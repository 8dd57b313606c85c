import type { Command } from 'commander'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('version, training backends that can load here (and why not), the workspace')
    .option('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action(async (opts: { workspace?: string; json?: boolean }) =>
      withWorkspace({ workspace: opts.workspace }, async (wb) => {
        const info = await call(wb, 'app.info', {})
        if (opts.json) return printJson(info)
        console.log(`${info.name} ${info.version}`)
        console.log(`Workspace: ${info.workspace ? `${info.workspace.path} (${info.workspace.datasets} datasets, ${info.workspace.images} images)` : 'none'}`)
        console.log('Training backends:')
        for (const b of info.backends) console.log(`  ${b.available ? 'yes' : 'no '} ${b.backend.padEnd(6)} ${b.reason}`)
      }),
    )
}
