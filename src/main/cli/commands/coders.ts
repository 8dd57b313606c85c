import type { Command } from 'commander'
import { methods } from '../../../shared/contract'
import { call, printJson } from '../call'
import { textOption } from '../options'
import { withWorkspace } from '../with-workspace'

// `affect coders list|add|revoke`: the coders of a workspace. `add` prints the coder's personal
// token once (a lab server's link is its URL with ?token=...); the workspace keeps only its hash.

const field = methods['coders.create'].input.shape

export function registerCoders(program: Command): void {
  const coders = program.command('coders').description('the coders of a workspace: list, add, revoke')
  coders
    .command('list')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--json', 'print JSON')
    .action((opts: { workspace: string; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const list = await call(wb, 'coders.list', {})
        if (opts.json) return printJson(list)
        for (const c of list)
          console.log(
            `${c.name.padEnd(24)} ${c.role.padEnd(6)} ${c.revokedAt ? `revoked ${c.revokedAt}` : c.hasLink ? 'has a link' : 'no link'}`,
          )
      }),
    )
  coders
    .command('add')
    .argument('<name>', 'the coder’s name (unique)')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .option('--role <role>', 'coder or admin', textOption('--role', field.role), 'coder')
    .option('--json', 'print JSON')
    .action((name: string, opts: { workspace: string; role: 'coder' | 'admin'; json?: boolean }) =>
      withWorkspace(opts, async (wb) => {
        const created = await call(wb, 'coders.create', { name, role: opts.role })
        if (opts.json) return printJson(created)
        console.log(`Added ${created.coder.name}. Personal token (shown once): ${created.token}`)
        console.log('On a lab server (affect serve --lab) their link is the server URL with ?token= and this token.')
      }),
    )
  coders
    .command('revoke')
    .argument('<name>', 'the coder whose link stops working')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .action((name: string, opts: { workspace: string }) =>
      withWorkspace(opts, async (wb) => {
        const coder = await call(wb, 'coders.revoke', { name })
        console.log(`${coder.name}'s link is revoked (${coder.revokedAt}); their codes stay.`)
      }),
    )
}
