import { describe, expect, it } from 'vitest'
import { FrameCache } from './frame-cache'
import { catalogueFrameOf, nativeFrameOf } from './frame-rate'

describe('FrameCache', () => {
  it('keeps the most recently used frames within its byte budget', () => {
    const cache = new FrameCache(30)
    cache.set('a', Buffer.alloc(10))
    cache.set('b', Buffer.alloc(10))
    cache.set('c', Buffer.alloc(10))
    cache.get('a') // a is now the most recently used: b goes first
    cache.set('d', Buffer.alloc(10))
    expect(['a', 'b', 'c', 'd'].filter((k) => cache.get(k))).toEqual(['a', 'c', 'd'])
    expect(cache.size).toEqual({ frames: 3, bytes: 30 })
    cache.set('huge', Buffer.alloc(31))
    expect(cache.get('huge')).toBeUndefined()
  })
})

describe('frame rates', () => {
  it('maps a catalogue at 5 fps onto every fifth frame of a 25 fps video, both ways', () => {
    expect([1, 2, 7].map((n) => nativeFrameOf(n, 5, 25))).toEqual([1, 6, 31])
    expect([1, 6, 31, 2, 30].map((n) => catalogueFrameOf(n, 5, 25))).toEqual([1, 2, 7, undefined, undefined])
    expect(catalogueFrameOf(17, 25, 25)).toBe(17)
  })
})
