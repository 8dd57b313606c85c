import { Command, CommanderError } from 'commander'
import { WorkbenchError } from '../../shared/errors'
import { WORKBENCH_VERSION } from '../version'
import { CliExit } from './call'
import { registerBench } from './commands/bench'
import { registerCatalogueCommands } from './commands/catalogue'
import { registerDemo } from './commands/demo'
import { registerExperiment } from './commands/experiment'
import { registerImport } from './commands/import'
import { registerInfo } from './commands/info'
import { registerServe } from './commands/serve'
import { registerTrainingCommands } from './commands/training'

/** The `affect` command line: the same services as the app, for scripts and GPU boxes. */
export function buildProgram(): Command {
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
  registerBench(program)
  return program
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().exitOverride().parseAsync(argv, { from: 'user' })
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
