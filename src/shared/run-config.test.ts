import { describe, expect, it } from 'vitest'
import { AugmentationSchema, RUN_CONFIG_HELP, RunConfigSchema, defaultRunConfig, totalSteps } from './run-config'

describe('run config', () => {
  it("defaults to the paper's ResNet set-up", () => {
    const c = defaultRunConfig()
    expect(c).toMatchObject({
      method: 'sjmt',
      network: 'resnet-20',
      datasets: [],
      inputSize: 32,
      channels: 3,
      batchSize: 128,
      learningRate: 0.05,
      lrDecaySteps: 10_000,
      lrDecayRate: 0.1,
      momentum: 0.9,
      steps: 80_000,
      backend: 'auto',
      augmentation: { pad: 4, randomCrop: true, horizontalFlip: false, noFlipIfLateralised: true },
    })
    expect(c.epochs).toBeUndefined()
    expect(c.initFrom).toBeUndefined()
  })

  it('keeps the other augmentation defaults when only one is changed', () => {
    expect(RunConfigSchema.parse({ augmentation: { horizontalFlip: true } }).augmentation).toEqual({
      pad: 4,
      randomCrop: true,
      horizontalFlip: true,
      noFlipIfLateralised: true,
    })
  })

  it('refuses a single-network run without exactly one dataset, naming the field', () => {
    const r = RunConfigSchema.safeParse({ method: 'single' })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].path).toEqual(['datasets'])
    expect(r.error?.issues[0].message).toMatch(/exactly one/)
    expect(RunConfigSchema.parse({ method: 'single', datasets: ['SFEW'], task: 'emotion' }).task).toBe('emotion')
  })

  it('refuses a task for a method that trains every task', () => {
    expect(RunConfigSchema.safeParse({ method: 'sjmt', task: 'au' }).success).toBe(false)
  })

  it('refuses impossible values', () => {
    for (const bad of [
      { batchSize: 0 },
      { batchSize: 12.5 },
      { learningRate: -1 },
      { network: 'resnet-7' },
      { channels: 2 },
      { backend: 'tpu' },
    ]) {
      expect(RunConfigSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('limits training images per class with a whole number of 1 or more, naming the field and dataset', () => {
    const limit = (n: number) =>
      RunConfigSchema.safeParse({ datasets: ['demo-compound'], perClassLimit: { 'demo-compound': n } })
    expect(limit(15).data?.perClassLimit).toEqual({ 'demo-compound': 15 })
    for (const [bad, words] of [
      [0, /1 or more/],
      [-3, /1 or more/],
      [2.5, /whole number/],
    ] as const) {
      const issue = limit(bad).error?.issues[0]
      expect(issue?.path, String(bad)).toEqual(['perClassLimit', 'demo-compound'])
      expect(issue?.message).toMatch(words)
    }
    const stranger = RunConfigSchema.safeParse({ datasets: ['demo-au'], perClassLimit: { 'demo-compound': 15 } })
    expect(stranger.error?.issues[0].path).toEqual(['perClassLimit'])
    expect(stranger.error?.issues[0].message).toMatch(/demo-compound is not in datasets/)
    expect(defaultRunConfig().perClassLimit).toBeUndefined()
  })

  it('accepts a run id given as a number for initFrom', () => {
    expect(RunConfigSchema.parse({ initFrom: 12 }).initFrom).toBe('12')
  })

  it('measures the run in epochs when they are set', () => {
    const c = RunConfigSchema.parse({ epochs: 3, batchSize: 100 })
    expect(totalSteps(c, 250)).toBe(9)
    expect(totalSteps(defaultRunConfig(), 250)).toBe(80_000)
  })

  it('explains every field in the Train form', () => {
    const fields = [
      ...Object.keys(RunConfigSchema.shape).filter((k) => k !== 'augmentation'),
      ...Object.keys(AugmentationSchema.shape).map((k) => `augmentation.${k}`),
    ]
    expect(Object.keys(RUN_CONFIG_HELP).sort()).toEqual(fields.sort())
    for (const text of Object.values(RUN_CONFIG_HELP)) expect(text.length).toBeGreaterThan(20)
  })
})
