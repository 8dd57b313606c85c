import { describe, expect, it } from 'vitest'
import { facesBenchLines, runFacesBench } from './faces'

describe('faces benchmark', () => {
  it('times 1920 px demo photos through every stage', async () => {
    const lines: string[] = []
    const r = await runFacesBench({ rounds: 1, photos: 1, backend: 'wasm', onLine: (l) => lines.push(l) })
    expect(r).toMatchObject({ photos: 1, faces: 3, backend: 'wasm' })
    expect(r.photosPerSecond).toBeGreaterThan(0)
    expect(r.photosPerCpuSecond).toBeGreaterThan(0)
    for (const ms of Object.values(r.msPerPhoto)) expect(ms).toBeGreaterThan(0)
    expect(lines[0]).toMatch(/^Face finder on wasm: WebAssembly/)
    expect(facesBenchLines(r)[0]).toMatch(
      /^Faces in 1 photo of 1920 px \(3 faces\), one core, wasm: [\d.]+ photos\/s in [\d.]+ s; [\d.]+ photos per CPU second \(target >= 3\)$/,
    )
  })

  it('rejects a backend the face finder does not run on, and bad rounds, by option name', async () => {
    await expect(runFacesBench({ backend: 'gpu' })).rejects.toThrow(
      "--backend: the face finder runs on auto, native, wasm, cpu, not 'gpu'",
    )
    await expect(runFacesBench({ rounds: 0 })).rejects.toThrow('--rounds: expected a whole number of at least 1, got 0')
    await expect(runFacesBench({ photos: 0 })).rejects.toThrow('photos: expected 1 to 6, got 0')
  })
})
