import type { VideoDetail } from '@shared/contract'
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { mediaUrl, proxyFrame } from '../api'

// The proxy frames (small copies main writes once per video, video/proxy-frames.ts) of the video
// open in the coding view, held in this page's memory as object URLs: scrubbing then shows a frame
// without a round trip to main, which on a busy machine alone takes longer than a coder waits.
// Fetched in the background, the frames nearest the one shown first, within a byte budget; a frame
// not held yet is asked for as usual. While main still writes the proxy it answers with the
// thumbnail, marked not to be kept: those are asked for again a moment later.

/** Bytes of proxy frames held (about 10 kB a frame: 10,000 frames, 6 minutes at 25 fps). */
export const PROXY_MEMORY_BYTES = 96 * 1024 * 1024
/** Frames fetched at once. */
const PARALLEL = 4
const RETRY_MS = 1000

/** Frame numbers from `around` outward: the frames a coder is likeliest to go to next come first. */
export function outwardFrom(around: number, frames: number): number[] {
  const out = [around]
  for (let d = 1; out.length < frames; d++) {
    if (around + d <= frames) out.push(around + d)
    if (around - d >= 1) out.push(around - d)
  }
  return out
}

export function useProxyFrames(video: Ref<VideoDetail | null>, frame: Ref<number>) {
  const held = shallowRef(new Map<number, string>())
  /** Frames held, for the view's status line. */
  const count = ref(0)
  let generation = 0

  function release(): void {
    generation++
    for (const url of held.value.values()) URL.revokeObjectURL(url)
    held.value = new Map()
    count.value = 0
  }

  async function fill(v: VideoDetail, mine: number): Promise<void> {
    const queue = outwardFrom(frame.value, v.frames)
    let bytes = 0
    const worker = async (): Promise<void> => {
      while (queue.length && mine === generation && bytes < PROXY_MEMORY_BYTES) {
        const n = queue.shift()!
        const got = await proxyFrame(v.frameIds[n - 1]).catch(() => false as const)
        if (mine !== generation) return
        if (got === false) {
          queue.push(n) // asked again once main has written it
          await new Promise((r) => setTimeout(r, RETRY_MS))
          continue
        }
        bytes += got.size
        held.value.set(n, URL.createObjectURL(got))
        count.value = held.value.size
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))
  }

  watch(
    () => video.value?.id,
    () => {
      release()
      if (video.value) void fill(video.value, generation)
    },
    { immediate: true },
  )
  onBeforeUnmount(release)

  /** What the view's small picture loads for the frame shown. */
  const src = computed(() => {
    void count.value // a frame that arrives replaces the request in flight
    const id = video.value?.frameIds[frame.value - 1]
    return held.value.get(frame.value) ?? (id === undefined ? '' : mediaUrl(id, 'proxy'))
  })
  return { src, count }
}
