import type { Command } from 'commander'
import { adapterSummary } from '../../trainer/backend/gpu-adapter'
import { call, printJson } from '../call'
import { withWorkspace } from '../with-workspace'

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description(
      'version, training backends that can load here (and why not, each tried in a process of its own), the GPU WebGPU found, the workspace',
    )
    .option('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action(async (opts: { workspace?: string; json?: boolean }) =>
      withWorkspace({ workspace: opts.workspace }, async (wb) => {
        const info = await call(wb, 'app.info', {})
        if (opts.json) return printJson(info)
        console.log(`${info.name} ${info.version}`)
        console.log(
          `Workspace: ${info.workspace ? `${info.workspace.path} (${info.workspace.datasets} datasets, ${info.workspace.images} images)` : 'none'}`,
        )
        console.log('Training backends:')
        for (const b of info.backends) {
          console.log(`  ${b.available ? 'yes' : 'no '} ${b.backend.padEnd(6)} ${b.reason}`)
          // The reason names the adapter when it loads; when auto refused it, say which one.
          if (b.adapter && !b.available) console.log(`             GPU: ${adapterSummary(b.adapter)}`)
        }
        const auto = info.backends.find((b) => b.available && !b.adapter?.software)
        if (auto) console.log(`A run with backend 'auto' trains on ${auto.backend}.`)
      }),
    )
}
