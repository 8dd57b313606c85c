import type { AuEvent, RunSummary, VideoCoding, VideoDetail, VideoSummary } from '@shared/contract'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { call } from '../api'
import { useEditHistoryStore } from './edit-history'

// The video coding view's state: the video, the frame shown, playback, the coder's events and the
// one being marked (onset, then apex, then offset), and a run's predicted curves.

export const INTENSITY_LETTERS = ['', 'A', 'B', 'C', 'D', 'E']

export const useVideoCodingStore = defineStore('video-coding', () => {
  const videos = ref<VideoSummary[]>([])
  const video = ref<VideoDetail | null>(null)
  const coding = ref<VideoCoding>({ events: [], segments: [] })
  const frame = ref(1)
  const playing = ref(false)
  const au = ref('AU12')
  /** The apex intensity of the next event: 1-5 = A-E, null = not coded. */
  const intensity = ref<number | null>(null)
  /** An event being marked: its onset, and its apex once marked. */
  const marking = ref<{ onset: number; apex: number | null } | null>(null)
  const runs = ref<RunSummary[]>([])
  const runId = ref<number | null>(null)
  const curves = ref<Record<string, (number | null)[]>>({})
  const status = ref('')
  const error = ref<string | null>(null)
  let timer: ReturnType<typeof setInterval> | null = null

  const frameId = computed(() => video.value?.frameIds[frame.value - 1] ?? null)
  const seconds = computed(() => (video.value ? (frame.value - 1) / video.value.fps : 0))

  async function attempt<T>(what: () => Promise<T>): Promise<T | undefined> {
    try {
      const out = await what()
      error.value = null
      return out
    } catch (e) {
      error.value = (e as Error).message
      return undefined
    }
  }

  async function loadVideos(): Promise<void> {
    await attempt(async () => {
      videos.value = await call('videos.list', {})
      runs.value = (await call('runs.list', {})).filter((r) => r.status === 'finished')
    })
  }

  async function open(id: number): Promise<void> {
    pause()
    await attempt(async () => {
      video.value = await call('videos.get', { id })
      coding.value = await call('videos.coding', { videoId: id })
      frame.value = 1
      marking.value = null
      if (video.value.aus.length && !video.value.aus.includes(au.value)) au.value = video.value.aus[0]
      if (runId.value !== null) await showRun(runId.value)
    })
  }

  const goTo = (n: number): void => {
    if (!video.value) return
    frame.value = Math.min(video.value.frames, Math.max(1, Math.round(n)))
  }
  const step = (by: number): void => goTo(frame.value + by)
  const jumpSeconds = (s: number): void => step(Math.round(s * (video.value?.fps ?? 1)))

  function pause(): void {
    playing.value = false
    if (timer) clearInterval(timer)
    timer = null
  }
  function play(): void {
    if (!video.value || playing.value) return
    playing.value = true
    timer = setInterval(() => (frame.value >= (video.value?.frames ?? 0) ? pause() : step(1)), 1000 / video.value.fps)
  }
  const togglePlay = (): void => (playing.value ? pause() : play())

  async function refreshCoding(): Promise<void> {
    if (video.value) coding.value = await call('videos.coding', { videoId: video.value.id })
  }

  /** Saves as the annotator (asked once); false when the coder cancels the name dialog. */
  async function asCoder(what: () => Promise<void>, done: string): Promise<void> {
    if (!(await useEditHistoryStore().ensureAnnotator())) return
    const ok = await attempt(async () => {
      await what()
      await refreshCoding()
      return true
    })
    if (ok) status.value = `Saved: ${done}`
  }

  function markOnset(): void {
    marking.value = { onset: frame.value, apex: null }
    status.value = `Onset of ${au.value} at frame ${frame.value}`
  }
  function markApex(): void {
    if (!marking.value) marking.value = { onset: frame.value, apex: null }
    marking.value.apex = Math.max(frame.value, marking.value.onset)
    status.value = `Apex of ${au.value} at frame ${marking.value.apex}`
  }
  async function markOffset(): Promise<void> {
    const m = marking.value
    if (!video.value || !m) return void (status.value = `Mark the onset of ${au.value} first`)
    if (frame.value < m.onset) return void (status.value = `The offset must come after the onset (frame ${m.onset})`)
    const apex = m.apex !== null && m.apex <= frame.value ? m.apex : Math.round((m.onset + frame.value) / 2)
    const event = { videoId: video.value.id, code: au.value, onset: m.onset, apex, offset: frame.value }
    marking.value = null
    await asCoder(
      () => call('videos.saveEvent', { ...event, intensity: intensity.value }).then(() => undefined),
      `${au.value} event, frames ${event.onset}-${event.offset}`,
    )
  }

  /** Moves an event's onset, apex or offset to the frame shown. */
  async function moveEvent(e: AuEvent, edge: 'onset' | 'apex' | 'offset'): Promise<void> {
    const moved = { ...e, [edge]: frame.value }
    if (!(moved.onset <= moved.apex && moved.apex <= moved.offset))
      return void (status.value = `The ${edge} cannot move to frame ${frame.value}: onset, apex and offset must stay in order`)
    const { coder: _coder, ...event } = moved
    await asCoder(
      () => call('videos.saveEvent', event).then(() => undefined),
      `${e.code} ${edge} at frame ${frame.value}`,
    )
  }
  const setIntensity = (e: AuEvent, value: number | null) =>
    asCoder(
      () => call('videos.saveEvent', { ...e, coder: undefined, intensity: value }).then(() => undefined),
      `${e.code} intensity ${INTENSITY_LETTERS[value ?? 0] || 'not coded'}`,
    )
  const deleteEvent = (e: AuEvent) =>
    asCoder(
      () => call('videos.deleteEvent', { id: e.id }).then(() => undefined),
      `${e.code} event ${e.onset}-${e.offset} deleted`,
    )
  const codeWholeVideo = () =>
    asCoder(async () => {
      if (video.value)
        await call('videos.codeSegment', {
          videoId: video.value.id,
          code: au.value,
          first: 1,
          last: video.value.frames,
        })
    }, `${au.value} coded over the whole video`)

  async function showRun(id: number | null): Promise<void> {
    runId.value = id
    curves.value = {}
    if (id === null || !video.value) return
    const got = await attempt(() => call('videos.predictions', { videoId: video.value!.id, runId: id }))
    curves.value = got ?? {}
  }

  return {
    videos,
    video,
    coding,
    frame,
    playing,
    au,
    intensity,
    marking,
    runs,
    runId,
    curves,
    status,
    error,
    frameId,
    seconds,
    loadVideos,
    open,
    goTo,
    step,
    jumpSeconds,
    play,
    pause,
    togglePlay,
    markOnset,
    markApex,
    markOffset,
    moveEvent,
    setIntensity,
    deleteEvent,
    codeWholeVideo,
    showRun,
  }
})
