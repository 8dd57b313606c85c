import type { Command } from 'commander'
import { methods, type LabelChange } from '../../../shared/contract'
import { intensityOfLetter } from '../../../shared/intensity'
import { CliExit, call, printJson } from '../call'
import { numberOption } from '../options'
import { withWorkspace } from '../with-workspace'

/**
 * `--set AU12=1 --set AU12=C --set happy=?`: 1 present (intensity not coded), A-E present at that
 * FACS intensity, 0 absent, ? or empty = clear to unknown.
 */
export function parseSet(text: string): Pick<LabelChange, 'code' | 'value' | 'intensity'> {
  const m = /^([^=]+)=(.*)$/.exec(text)
  if (!m) throw new CliExit(2, `--set ${text}: write CODE=VALUE, e.g. AU12=1, AU12=C, happy=0 or sad=? (unknown).`)
  const code = m[1].trim()
  const raw = m[2].trim()
  const intensity = intensityOfLetter(raw)
  if (intensity !== undefined) return { code, value: 1, intensity }
  const value = raw === '1' ? 1 : raw === '0' ? 0 : raw === '?' || raw === '' ? null : undefined
  if (value === undefined)
    throw new CliExit(
      2,
      `--set ${text}: the value must be 1 (present), A-E (present at that FACS intensity), 0 (absent) or ? (unknown), not "${raw}".`,
    )
  return { code, value }
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

interface LabelOptions {
  workspace: string
  image: number
  set: string[]
  reason: string
  who?: string
  coder?: string
  json?: boolean
}

export function registerLabel(program: Command): void {
  program
    .command('label')
    .description('set or clear labels of one image, for scripts (recorded in the label history)')
    .requiredOption('-w, --workspace <dir>', 'workspace folder')
    .requiredOption('--image <id>', 'image id', numberOption('--image', methods['images.get'].input.shape.id))
    .requiredOption(
      '--set <code=value>',
      'CODE=1 present, CODE=A..E present at that FACS intensity, CODE=0 absent, CODE=? unknown (repeatable)',
      collect,
    )
    .option('--reason <text>', 'why (kept in the history)', '')
    .option('--who <name>', 'who is making the change (default: the remembered annotator)')
    .option('--coder <name>', "set this coder's own codes instead (the consensus follows while coders agree)")
    .option('--json', 'print JSON')
    .action((opts: LabelOptions) =>
      withWorkspace(opts, async (wb) => {
        const imageId = opts.image
        if (opts.coder) {
          const coded = await call(wb, 'codings.save', {
            imageId,
            coder: opts.coder,
            reason: opts.reason,
            changes: opts.set.map(parseSet),
          })
          if (opts.json) return printJson(coded)
          return console.log(
            `Changed ${coded.changed} code(s) of ${opts.coder} on image ${imageId}; ${coded.consensusChanged} consensus label(s) followed.`,
          )
        }
        const changes: LabelChange[] = opts.set.map((s) => ({ imageId, ...parseSet(s) }))
        const result = await call(wb, 'labels.edit', {
          changes,
          reason: opts.reason,
          who: opts.who ?? wb.ctx.settings.annotator ?? process.env.USER ?? 'cli',
        })
        if (opts.json) return printJson(result)
        console.log(
          result.changed
            ? `Changed ${result.changed} label(s) of image ${imageId} (edit ${result.editId}).`
            : `Image ${imageId} already had those labels.`,
        )
      }),
    )
}
