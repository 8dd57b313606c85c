import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FaceFinderCommand, FaceFinderMessage } from '../../src/shared/face-finder-protocol'
import { findFaces } from '../../src/main/faces/find-faces'
import { forkNodeProcess } from '../../src/main/runs/trainer-host'

// The face finder as the built app starts it: out/main/face-finder.js, bundled by electron-vite
// (a bundle can break what the TypeScript sources do not, e.g. a name the bundler also declares).

const root = join(import.meta.dirname, '..', '..')
const built = join(root, 'out', 'main', 'face-finder.js')

describe('the built face finder', () => {
  it('finds Grace Hopper and names a missing photo', async () => {
    expect(existsSync(built), `${built} (run npm run build first)`).toBe(true)
    const launch = () => forkNodeProcess<FaceFinderCommand, FaceFinderMessage>({ file: built, typescript: false })
    const hopper = join(root, 'test', 'fixtures', 'photos', 'grace_hopper_512x512.jpg')
    const missing = join(root, 'test', 'fixtures', 'photos', 'not-there.jpg')
    const result = await findFaces([hopper, missing], { backend: 'auto' }, { launch })
    expect(result.backend?.name).toBe('wasm')
    const [face, problem] = result.photos
    expect(face.ok && face.faces.length).toBe(1)
    expect(face.ok && face.faces[0].crop?.length).toBeGreaterThan(1000)
    expect(!problem.ok && problem.problem).toEqual({ code: 'missing', message: `${missing}: file not found` })
  })
})
