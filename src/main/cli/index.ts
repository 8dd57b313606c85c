import { Command, CommanderError } from 'commander'
import { WorkbenchError } from '../../shared/errors'
import { WORKBENCH_VERSION } from '../app/version'
import { CliExit } from './call'
import { registerCatalogueCommands } from './commands/catalogue'
import { registerDemo } from './commands/demo'
import { registerExperiment } from './commands/experiment'
import { registerImport } from './commands/import'
import { registerInfo } from './commands/info'
import { registerServe } from './commands/serve'
import { registerTrainingCommands } from './commands/training'

/** Adds commands that live outside the product (the benchmarks, which bin/affect.mjs adds from bench/). */
export type ExtendProgram = (program: Command) => void

/** The `affect` command line: the same services as the app, for scripts and GPU boxes. */
export function buildProgram(extend?: ExtendProgram): Command {
  const program = new Command('affect')
    .description('Affect Workbench: facial emotion and Action Unit research (catalogue, labels, SJMT training, export)')
    .version(WORKBENCH_VERSION)
    .showHelpAfterError()
  registerInfo(program)
  registerServe(program)
  registerImport(program)
  registerDemo(program)
  registerCatalogueCommands(program)
  registerTrainingCommands(program)
  registerExperiment(program)
  extend?.(program)
  return program
}

export async function runCli(argv: string[], extend?: ExtendProgram): Promise<number> {
  try {
    await buildProgram(extend).exitOverride().parseAsync(argv, { from: 'user' })
    return 0
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode
    if (e instanceof CliExit || e instanceof WorkbenchError) {
      console.error(`affect: ${e.message}`)
      return e instanceof CliExit ? e.exitCode : 1
    }
    throw e
  }
}
