import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { faceModelDir, loadFaceModels } from './models'

const dir = await mkdtemp(join(tmpdir(), 'face-models-test-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('face models', () => {
  it('are read from the installed package, never fetched', () => {
    expect(faceModelDir()).toMatch(/node_modules\/@vladmandic\/face-api\/model$/)
  })

  it('say which files are missing and how to get them back', async () => {
    await expect(loadFaceModels(dir)).rejects.toThrow(
      `the face models are missing from ${dir} (ssd_mobilenetv1_model-weights_manifest.json, ssd_mobilenetv1_model.bin, face_landmark_68_model-weights_manifest.json, face_landmark_68_model.bin): reinstall the @vladmandic/face-api package (npm install)`,
    )
  })
})
