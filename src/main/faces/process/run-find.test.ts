import { describe, expect, it } from 'vitest'
import type { FaceFinderMessage } from '../../../shared/face-finder-protocol'
import { FaceFinderOptionsSchema } from '../../../shared/faces'
import { selectFaceBackend } from '../backend'
import { fixturePhoto } from '../test-photos.fixture'
import { explainFaceFailure, runFind } from './run-find'

// The finder's command loop in-process: backend reasons, one message per photo, Stop between photos.

const options = FaceFinderOptionsSchema.parse({ detectionSize: 256, crops: false, backend: 'wasm' })
const hopper = fixturePhoto('grace_hopper_512x512.jpg')

describe('runFind', () => {
  it('says why tfjs-node cannot be used, and fails when it was asked for', async () => {
    const sent: FaceFinderMessage[] = []
    expect(
      await runFind(
        [hopper],
        { ...options, backend: 'native' },
        (m) => sent.push(m),
        () => false,
      ),
    ).toBe('failed')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      type: 'failed',
      reason: expect.stringMatching(/^the face finder cannot run here: native: .*tfjs-node/),
    })
  })

  it("falls back from tfjs-node to WebAssembly on 'auto', keeping the reason", async () => {
    const report = await selectFaceBackend('auto')
    expect(report.name).toBe('wasm')
    expect(report.tried.map((t) => [t.backend, t.available])).toEqual([
      ['native', false],
      ['wasm', true],
    ])
    expect(report.tried[0].reason).toMatch(/tfjs-node/)
  })

  it('sends ready, one photo message each, then finished', async () => {
    const sent: FaceFinderMessage[] = []
    expect(
      await runFind(
        [hopper, fixturePhoto('rocket.jpg')],
        options,
        (m) => sent.push(m),
        () => false,
      ),
    ).toBe('finished')
    expect(sent.map((m) => (m.type === 'photo' ? `photo ${m.index} ${m.result.ok}` : m.type))).toEqual([
      'ready',
      'photo 0 true',
      'photo 1 false',
      'finished',
    ])
    expect(sent[0]).toMatchObject({ type: 'ready', backend: { name: 'wasm' } })
  })

  it('stops between photos once asked', async () => {
    const sent: FaceFinderMessage[] = []
    const stopAfterOne = () => sent.some((m) => m.type === 'photo')
    expect(await runFind([hopper, hopper, hopper], options, (m) => sent.push(m), stopAfterOne)).toBe('stopped')
    expect(sent.map((m) => m.type)).toEqual(['ready', 'photo', 'finished'])
    expect(sent[2]).toEqual({ type: 'finished', stopped: true })
  })
})

describe('explainFaceFailure', () => {
  it('turns running out of memory into advice, and keeps other messages', () => {
    expect(explainFaceFailure(new RangeError('WebAssembly.Memory(): could not allocate memory')).reason).toMatch(
      /^the face finder ran out of memory: use a smaller working size/,
    )
    expect(explainFaceFailure(new Error('the face models are missing from /x')).reason).toBe(
      'the face models are missing from /x',
    )
  })
})
