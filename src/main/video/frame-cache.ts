// Decoded full frames kept in memory, least recently used out first, within a byte budget: the
// coding view steps and plays through frames it has just decoded ahead, and nothing of a video's
// full size is ever written to disk.

export class FrameCache {
  private readonly frames = new Map<string, Buffer>()
  private bytes = 0

  constructor(readonly budget: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.frames.get(key)
    if (hit) {
      // Map keeps insertion order: moving a hit to the end makes the first entry the least recently used.
      this.frames.delete(key)
      this.frames.set(key, hit)
    }
    return hit
  }

  set(key: string, frame: Buffer): void {
    const old = this.frames.get(key)
    if (old) this.bytes -= old.length
    this.frames.delete(key)
    if (frame.length > this.budget) return
    this.frames.set(key, frame)
    this.bytes += frame.length
    for (const [k, v] of this.frames) {
      if (this.bytes <= this.budget) break
      this.frames.delete(k)
      this.bytes -= v.length
    }
  }

  get size(): { frames: number; bytes: number } {
    return { frames: this.frames.size, bytes: this.bytes }
  }
}
