import { afterEach, describe, expect, it, vi } from 'vitest'
import { methods } from '../../src/shared/contract'
import { RunConfigSchema } from '../../src/shared/run-config'
import { runCli } from '../../src/main/cli/index'
import { wantedInWords } from '../../src/main/cli/options'

// Options are read with the contract's schemas: a bad value is refused before anything runs, with
// the option's name and what it must be, and an exit code of 2.

/** What `affect ...` prints on stderr, and its exit code. */
async function refused(argv: string[]): Promise<{ code: number; said: string }> {
  const lines: string[] = []
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)))
  try {
    return { code: await runCli(argv), said: lines.join('\n') }
  } finally {
    spy.mockRestore()
  }
}

describe('command-line options', () => {
  afterEach(() => vi.restoreAllMocks())

  it('say what the contract accepts in words', () => {
    expect(wantedInWords(RunConfigSchema.shape.steps)).toBe('a positive whole number')
    expect(wantedInWords(RunConfigSchema.shape.learningRate)).toBe('a number above 0 and at most 10')
    expect(wantedInWords(RunConfigSchema.shape.batchSize)).toBe('a whole number from 1 to 4096')
    expect(wantedInWords(RunConfigSchema.shape.method)).toBe('one of single, multitask, sjmt')
    expect(wantedInWords(methods['runs.resume'].input.shape.id)).toBe('a positive whole number')
    expect(wantedInWords(methods['exports.create'].input.shape.threshold)).toBe('a number from 0 to 1')
  })

  it('refuse a bad number by the option name, from the schema of the field it fills', async () => {
    expect(await refused(['train', '--workspace', '/nonexistent', '--steps', 'abc'])).toEqual({
      code: 2,
      said: 'affect: --steps must be a positive whole number, not "abc".',
    })
    expect(await refused(['train', '--workspace', '/nonexistent', '--batch', '0'])).toEqual({
      code: 2,
      said: 'affect: --batch must be a whole number from 1 to 4096, not "0".',
    })
    expect(await refused(['resume', '--workspace', '/nonexistent', '--run', '1.5'])).toEqual({
      code: 2,
      said: 'affect: --run must be a positive whole number, not "1.5".',
    })
  })

  it('refuse a choice the contract does not list, naming the option and the choices', async () => {
    expect(await refused(['train', '--workspace', '/nonexistent', '--method', 'fancy'])).toEqual({
      code: 2,
      said: 'affect: --method must be one of single, multitask, sjmt, not "fancy".',
    })
    expect(await refused(['evaluate', '--workspace', '/nonexistent', '--run', '1', '--split', 'holdout'])).toEqual({
      code: 2,
      said: 'affect: --split must be one of train, val, test, not "holdout".',
    })
    expect(await refused(['demo', '--workspace', '/nonexistent', '--size', 'huge'])).toEqual({
      code: 2,
      said: 'affect: --size must be one of small, medium, large, not "huge".',
    })
  })
})
