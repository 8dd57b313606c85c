import type { Database } from 'better-sqlite3'
import type { ImportReportIssue } from '../../shared/contract'
import { classIndex } from '../catalogue/classes'
import type { DatasetRow, ImageRow } from '../catalogue/catalogue-rows'
import { prepared } from '../db/statements'
import type { EventBus } from '../app/event-bus'
import { writeMedia } from './image-bytes'
import type { Outcome } from './import-images'
import { boundedDetail } from './import-report'
import type { ImportIssue } from './record'
import { DEFAULT_SPLIT, seededSplit, type SplitRatios } from './split'
import type { FaceStep } from './faces/face-mode'
import type { PendingImage } from './write-import'

/** What happens to a record's image (faces/face-mode.ts), or why it is not imported. */
export type StepOf = (record: Outcome & { ok: true }) => FaceStep | { reason: string; detail: string }

// What one import gathers before its single write: the images to add, the issues met, and the
// media it wrote under the workspace (removed again if the import fails).

export const asReportIssue = (i: ImportIssue): ImportReportIssue => ({
  file: i.file,
  ...(i.row !== undefined ? { row: i.row } : {}),
  ...(i.column ? { column: i.column } : {}),
  reason: i.reason,
  detail: boundedDetail(i.detail),
  ...(i.kept ? { kept: true } : {}),
})

export class ImportBatch {
  readonly pending: PendingImage[] = []
  readonly issues: ImportReportIssue[] = []
  /** Media files (FER2013 pixels as PNG) written under the workspace. */
  readonly media: string[] = []
  alreadyImported = 0
  /** Records and issues taken so far, for progress events. */
  done = 0
  private readonly seenSha = new Map<string, string>()
  private lastEvent = 0

  constructor(
    private readonly db: Database,
    private readonly dataset: { name: string; id: number | null },
    private readonly split: (SplitRatios & { seed: number }) | undefined,
    private readonly events?: EventBus,
    /** Why a record's labels break the one-emotion rule (one-emotion.ts), or null. */
    private readonly oneEmotion: (labels: PendingImage['labels']) => string | null = () => null,
    private readonly stepOf: StepOf = () => 'whole',
  ) {}

  issue(item: ImportIssue): void {
    this.done++
    if (item.dropsVideo) this.dropVideo(item.dropsVideo)
    this.issues.push(asReportIssue(item))
  }

  /** Takes one image's outcome; a fatal one (the workspace cannot be written) throws. */
  take(outcome: Outcome): void {
    this.done++
    if (!outcome.ok) {
      if ('fatal' in outcome) throw outcome.fatal
      return void this.issues.push({ ...outcome.issue, detail: boundedDetail(outcome.issue.detail) })
    }
    const { record, image, path } = outcome
    const at = { file: record.source.file, row: record.source.row }
    const classes = classIndex(this.db)
    const unknown = Object.keys(record.labels).filter((code) => !classes.has(code))
    if (unknown.length)
      return void this.issues.push({ ...at, reason: 'unknown code', detail: `no class ${unknown.join(', ')}` })
    const several = this.oneEmotion(record.labels)
    if (several) return void this.issues.push({ ...at, reason: 'malformed row', detail: several })
    if (
      this.dataset.id !== null &&
      prepared(this.db, 'SELECT 1 FROM images WHERE dataset_id = ? AND (path = ? OR source_path = ?)').get(
        this.dataset.id,
        path,
        path,
      )
    )
      return void this.alreadyImported++
    // A video frame is searched like a photo (the face finder decodes it from its video).
    const step = this.stepOf(outcome)
    if (typeof step !== 'string') return void this.issues.push({ ...at, ...step })
    // One picture may belong to several datasets (FER+ relabels FER2013): only a second copy inside
    // this dataset is a duplicate. Leakage between datasets is checked after reading (leakage.ts).
    const earlier = this.seenSha.get(image.sha256) ?? this.inDataset(image.sha256)
    if (earlier)
      return void this.issues.push({
        ...at,
        reason: 'duplicate content',
        detail: `${path} has the same content as ${earlier}`,
      })
    this.seenSha.set(image.sha256, path)
    if (outcome.mediaFile) {
      this.media.push(outcome.mediaFile) // listed first, so that a failed import removes it however far it got
      writeMedia(outcome.mediaFile, image.bytes) // a full disk throws: the import stops as a whole
    }
    const split =
      record.split ?? seededSplit(outcome.splitKey ?? path, this.split?.seed ?? 1, this.split ?? DEFAULT_SPLIT)
    this.pending.push({
      path,
      sha256: image.sha256,
      width: image.width,
      height: image.height,
      split,
      labels: record.labels,
      faceBox: record.faceBox,
      attributes: record.attributes,
      ...(record.image.type === 'frame'
        ? {
            frame: {
              video: record.image.video,
              videoPath: outcome.splitKey!,
              number: record.image.frame,
              time: record.image.time,
            },
          }
        : {}),
      file: outcome.file,
      at,
      step,
    })
    this.progress(record.source.file)
  }

  /** Takes back the frames of a video that ended early (read-video.ts): none of it is imported. */
  dropVideo(file: string): void {
    const kept = this.pending.filter((p) => p.frame?.video.file !== file)
    this.pending.splice(0, this.pending.length, ...kept)
  }

  private inDataset(sha256: string): string | undefined {
    if (this.dataset.id === null) return undefined
    const row = prepared<Pick<DatasetRow, 'name'> & Pick<ImageRow, 'path'>>(
      this.db,
      'SELECT d.name, i.path FROM images i JOIN datasets d ON d.id = i.dataset_id WHERE i.sha256 = ? AND i.dataset_id = ? LIMIT 1',
    ).get(sha256, this.dataset.id)
    return row && `${row.name}/${row.path}`
  }

  private progress(file: string): void {
    const now = Date.now()
    if (!this.events || now - this.lastEvent <= 200) return
    this.lastEvent = now
    this.events.publish('import.progress', { dataset: this.dataset.name, done: this.done, total: null, file })
  }
}
