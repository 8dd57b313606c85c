import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { imageLocator } from '../trainer/data/image-paths'
import { fromStoredPath, toStoredPath } from './stored-paths'

describe('stored paths', () => {
  it('keep a file inside the workspace relative to it, with /, and any other file absolute', () => {
    expect(toStoredPath('/data/ws', '/data/ws/demo/demo-emotion')).toBe('demo/demo-emotion')
    expect(toStoredPath('/data/ws', '/data/ws/runs/1/best.ckpt')).toBe('runs/1/best.ckpt')
    expect(toStoredPath('/data/ws', '/data/ws')).toBe('.')
    expect(toStoredPath('/data/ws', '/data/ws/..hidden/x')).toBe('..hidden/x')
    // Beside the workspace, or a folder whose name merely starts the same: outside.
    expect(toStoredPath('/data/ws', '/data/ws2/faces')).toBe('/data/ws2/faces')
    expect(toStoredPath('/data/ws', '/mnt/datasets/sfew')).toBe('/mnt/datasets/sfew')
  })

  it('name the same file again from wherever the workspace is now', () => {
    const stored = toStoredPath('/data/ws', '/data/ws/demo/demo-au/images/1.png')
    expect(fromStoredPath('/elsewhere/copy', stored)).toBe(
      join('/elsewhere/copy', 'demo', 'demo-au', 'images', '1.png'),
    )
    expect(fromStoredPath('/elsewhere/copy', '/mnt/datasets/sfew')).toBe('/mnt/datasets/sfew')
  })
})

describe("the trainer's image locator", () => {
  it("reads a snapshot's relative image paths from the workspace's folder now", () => {
    const locate = imageLocator({ workspace: '/new/ws' })
    expect(locate('demo/demo-emotion/images/1.png')).toBe(join('/new/ws', 'demo', 'demo-emotion', 'images', '1.png'))
    expect(locate('/mnt/sfew/a.png')).toBe('/mnt/sfew/a.png')
  })

  it("reads a 0.1.0 snapshot's absolute paths of the old folder from the new one, and leaves others alone", () => {
    const locate = imageLocator({ workspace: '/new/ws', snapshotWorkspace: '/tmp/fx/ws' })
    expect(locate('/tmp/fx/ws/demo/demo-au/images/2.png')).toBe(join('/new/ws', 'demo', 'demo-au', 'images', '2.png'))
    expect(locate('/tmp/fx/ws2/x.png')).toBe('/tmp/fx/ws2/x.png')
    expect(locate('/mnt/sfew/a.png')).toBe('/mnt/sfew/a.png')
  })

  it('refuses a relative path when it was not told where the workspace is', () => {
    expect(() => imageLocator({})('demo/x.png')).toThrow(/demo\/x\.png is relative to the workspace/)
  })
})
