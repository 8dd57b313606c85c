import * as tf from '@tensorflow/tfjs'
import { afterAll, describe, expect, it } from 'vitest'
import { selectFaceBackend } from './backend'
import { bytesTensor } from './pixel-tensor'

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) % 256)

describe('RGB bytes as int32 tensors', () => {
  afterAll(() => selectFaceBackend('wasm'))

  it.each(['wasm', 'cpu'] as const)(
    'on %s: each tensor holds its own bytes, whatever the calls after it',
    async (name) => {
      await selectFaceBackend(name)
      const big = bytes(2 * 4 * 3, 1)
      const small = bytes(2 * 2 * 3, 99)
      const first = bytesTensor<tf.Rank.R3>(big, [2, 4, 3])
      const second = bytesTensor<tf.Rank.R3>(small, [2, 2, 3])
      expect(first.dtype).toBe('int32')
      expect(Array.from(await second.data())).toEqual(Array.from(small))
      // The second call reuses the conversion buffer (wasm) or not (cpu, which keeps the array itself).
      expect(Array.from(await first.data())).toEqual(Array.from(big))
      tf.dispose([first, second])
    },
  )
})
