import { Command, CommanderError } from 'commander'
import { WorkbenchError } from '../../shared/errors'
import { WORKBENCH_VERSION } from '../app/version'
import { CliExit } from './call'
import { registerAgreement } from './commands/agreement'
import { registerAssign } from './commands/assign'
import { registerCoders } from './commands/coders'
import { registerDatasets } from './commands/datasets'
import { registerDemo } from './commands/demo'
import { registerEvaluate } from './commands/evaluate'
import { registerExperiment } from './commands/experiment'
import { registerExport } from './commands/export'
import { registerImport } from './commands/import'
import { registerInfo } from './commands/info'
import { registerLabel } from './commands/label'
import { registerPredict } from './commands/predict'
import { registerResume } from './commands/resume'
import { registerRuns } from './commands/runs'
import { registerServe } from './commands/serve'
import { registerStats } from './commands/stats'
import { registerTrain } from './commands/train'

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
  registerDatasets(program)
  registerStats(program)
  registerLabel(program)
  registerCoders(program)
  registerAssign(program)
  registerAgreement(program)
  registerTrain(program)
  registerResume(program)
  registerRuns(program)
  registerEvaluate(program)
  registerPredict(program)
  registerExport(program)
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
