import { codeSegment, deleteEvent, saveEvent, videoCoding, videoPredictions } from '../../video/au-events'
import { listVideos, videoDetail } from '../../video/videos'
import type { WorkbenchContext } from '../context'
import type { Handlers } from '../router'
import { scalar } from '../../db/statements'
import { annotator } from './labels'

/** videos.*: the video coding view's calls; every change of events is announced as a label edit. */
export const videoHandlers = (ctx: WorkbenchContext) => {
  const db = () => ctx.requireWorkspace().db
  const changed = (videoId: number) => {
    const frames = videoDetail(db(), videoId).frameIds
    ctx.events.publish('labels.changed', { editId: null, imageIds: frames.length <= 10_000 ? frames : [] })
  }
  return {
    'videos.list': () => listVideos(db()),
    'videos.get': ({ id }) => videoDetail(db(), id),
    'videos.coding': ({ videoId, coder }) => videoCoding(db(), videoId, coder),
    'videos.saveEvent': async ({ coder, ...event }, caller) => {
      const saved = await saveEvent(db(), event, annotator(ctx, coder, caller))
      changed(saved.videoId)
      return saved
    },
    'videos.deleteEvent': async ({ id, coder }, caller) => {
      const videoId = scalar<number | undefined>(db(), 'SELECT video_id FROM au_events WHERE id = ?', id)
      const result = await deleteEvent(db(), id, annotator(ctx, coder, caller))
      if (result.deleted && videoId) changed(videoId)
      return result
    },
    'videos.codeSegment': async ({ coder, ...segment }, caller) => {
      const saved = await codeSegment(db(), segment, annotator(ctx, coder, caller))
      changed(saved.videoId)
      return saved
    },
    'videos.predictions': ({ videoId, runId }) => videoPredictions(db(), videoId, runId),
  } satisfies Partial<Handlers>
}
