import { z } from 'zod'
import { method } from './define'
import { personNameSchema } from './text'

// Video coding (issue 13): the videos of the catalogue, a coder's AU events (onset, apex, offset,
// apex intensity A-E as 1-5), the segments over which they coded an AU, and a run's predicted
// probability per frame. Frames are catalogue images; their labels follow from the events.

const idSchema = z.number().int().positive()
const frameSchema = z.number().int().min(1).max(100_000_000)
const auCodeSchema = z.string().regex(/^AU\d+$/, 'an AU code such as AU12')

export interface VideoSummary {
  id: number
  datasetId: number
  dataset: string
  /** Relative to its dataset's folder. */
  path: string
  width: number
  height: number
  /** The rate its catalogue frames are numbered at. */
  fps: number
  frames: number
  duration: number
}

export interface VideoDetail extends VideoSummary {
  /** The image id of each frame: frameIds[n - 1] is frame n. */
  frameIds: number[]
  /** The AUs of its dataset's label space, in class order: its timeline's tracks. */
  aus: string[]
}

export interface AuEvent {
  id: number
  videoId: number
  code: string
  coder: string
  onset: number
  apex: number
  offset: number
  /** 1-5 = FACS A-E; null = present, intensity not coded. */
  intensity: number | null
}

export interface CodedSegment {
  id: number
  videoId: number
  code: string
  coder: string
  first: number
  last: number
}

export interface VideoCoding {
  events: AuEvent[]
  segments: CodedSegment[]
}

export const auEventSchema = z
  .object({
    /** Given: the event to change; omitted: a new event. */
    id: idSchema.optional(),
    videoId: idSchema,
    code: auCodeSchema,
    onset: frameSchema,
    apex: frameSchema,
    offset: frameSchema,
    intensity: z.number().int().min(1).max(5).nullable(),
    coder: personNameSchema.optional(),
  })
  .strict()
  .refine((e) => e.onset <= e.apex && e.apex <= e.offset, {
    message: 'onset, apex and offset must come in that order (onset <= apex <= offset)',
    path: ['apex'],
  })

export const videoMethods = {
  'videos.list': method<VideoSummary[]>()(z.object({}).strict(), 'The videos of the catalogue.'),
  'videos.get': method<VideoDetail>()(
    z.object({ id: idSchema }).strict(),
    "A video with its frames' image ids and its AU tracks.",
  ),
  'videos.coding': method<VideoCoding>()(
    z.object({ videoId: idSchema, coder: personNameSchema.optional() }).strict(),
    "A video's AU events and coded segments (one coder's, or everyone's).",
  ),
  'videos.saveEvent': method<AuEvent>()(
    auEventSchema,
    "Adds or changes an AU event; the frames' labels of that AU follow (one label edit, with undo).",
  ),
  'videos.deleteEvent': method<{ deleted: boolean }>()(
    z.object({ id: idSchema, coder: personNameSchema.optional() }).strict(),
    "Deletes an AU event; the frames' labels of that AU follow.",
  ),
  'videos.codeSegment': method<CodedSegment>()(
    z
      .object({
        videoId: idSchema,
        code: auCodeSchema,
        first: frameSchema,
        last: frameSchema,
        coder: personNameSchema.optional(),
      })
      .strict()
      .refine((s) => s.first <= s.last, { message: 'first must not come after last', path: ['last'] }),
    'Marks frames first-last as coded for an AU: there, a frame without an event is absent.',
  ),
  'videos.predictions': method<Record<string, (number | null)[]>>()(
    z.object({ videoId: idSchema, runId: idSchema }).strict(),
    "A run's predicted probability per frame for each AU it predicts (null where it has none).",
  ),
} as const
