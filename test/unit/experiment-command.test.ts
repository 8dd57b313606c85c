import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/main/cli/index'

// `affect experiment paper` refuses a bad protocol before it creates or trains anything: no seed,
// an unknown method, a budget too small for one step per network, an unknown budget kind.

async function refused(argv: string[]): Promise<{ code: number; said: string }> {
  const lines: string[] = []
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)))
  try {
    return { code: await runCli(argv), said: lines.join('\n') }
  } finally {
    spy.mockRestore()
  }
}

const WS = '/nonexistent/experiment-workspace'
const paper = (...args: string[]) => refused(['experiment', 'paper', '--workspace', WS, ...args])

describe('affect experiment paper: bad input', () => {
  afterEach(() => vi.restoreAllMocks())

  it('refuses --seeds 0', async () => {
    expect(await paper('--seeds', '0')).toEqual({
      code: 2,
      said: 'affect: --seeds must be a whole number from 1 to 50, not "0".',
    })
  })

  it('refuses an unknown method by name', async () => {
    expect(await paper('--methods', 'single,resnet')).toEqual({
      code: 2,
      said: 'affect: --methods: unknown method "resnet"; use single, multitask, sjmt, sjmt+landmarks.',
    })
  })

  it('refuses an images budget too small for one step of each single network', async () => {
    const { code, said } = await paper('--budget', 'images', '--steps', '1')
    expect(code).toBe(2)
    expect(said).toMatch(/--steps: a budget of 1 step\(s\) of 32 images is too small.*each needs at least one step/)
  })

  it('refuses an unknown budget kind, a bad budget and a bad learning rate', async () => {
    expect((await paper('--budget', 'epochs')).said).toBe('affect: --budget must be steps or images, not "epochs".')
    expect((await paper('--steps', '100,abc')).said).toBe('affect: --steps must be a positive whole number, not "abc".')
    expect((await paper('--lr', '0.1,0')).said).toBe('affect: --lr must be a number above 0 and at most 10, not "0".')
    expect(existsSync(WS)).toBe(false)
  })

  it('refuses a landmark weight without the landmark runs, and a weight that is not a number above 0', async () => {
    expect((await paper('--methods', 'sjmt', '--landmark-weight', '5')).said).toBe(
      'affect: --landmark-weight: a landmark weight applies to the sjmt+landmarks runs only: add sjmt+landmarks to the methods, or leave it out',
    )
    expect((await paper('--methods', 'sjmt+landmarks', '--landmark-weight', '0')).said).toMatch(
      /^affect: --landmark-weight must be .*not "0"\.$/,
    )
    expect(existsSync(WS)).toBe(false)
  })

  it('refuses a number of compound faces per class that is not a positive whole number, or without --compound', async () => {
    for (const bad of ['0', '-15', '7.5'])
      expect((await paper('--compound', '--compound-per-class', bad)).said).toBe(
        `affect: --compound-per-class must be a positive whole number, not "${bad}".`,
      )
    expect((await paper('--compound-per-class', '15')).said).toBe(
      'affect: --compound-per-class: it sets how many compound faces Table 4 trains on: add --compound.',
    )
    expect(existsSync(WS)).toBe(false)
  })

  it('refuses an unknown action', async () => {
    expect((await refused(['experiment', 'table3', '--workspace', WS])).said).toBe(
      'affect: affect experiment table3: unknown action; use paper, resume or show.',
    )
  })
})
