import type { FaceMode, ImportFacesReport, ImportReportIssue } from '../../../shared/contract'
import { WorkbenchError } from '../../../shared/errors'
import { FaceFinderOptionsSchema, type FaceFinderOptionsInput, type PhotoFaces } from '../../../shared/faces'
import { boxCrop } from '../../faces/crops'
import { findFaces, type FaceFinderLauncher } from '../../faces/find-faces'
import { shortened } from '../formats/common/shown'
import { isWorkspaceWriteError } from '../import-failure'
import type { PendingImage } from '../write-import'
import { storeCrop, type CropCache } from './crop-cache'
import { FrameTracks, finderSource } from './frame-faces'

// The faces step of an import, between reading and writing: every image read becomes its catalogue
// items. A whole image stays one item; an image with a dataset box becomes the crop of that box; a
// photo to search goes through the face finder (in its own process) and becomes one item per face,
// or an issue `no face found` naming the file. Crops go to the workspace's crop cache as they come.

export interface FaceItemsCall {
  cache: CropCache
  mode: FaceMode
  finder?: FaceFinderOptionsInput
  signal?: AbortSignal
  launch?: FaceFinderLauncher
  onProgress?: (done: number, total: number, file: string) => void
}

export interface FaceItems {
  items: PendingImage[]
  issues: ImportReportIssue[]
  report: ImportFacesReport
}

/** Crops cut at once from dataset boxes: enough to keep libvips busy, few enough to bound memory. */
const BOX_CROPS_IN_FLIGHT = 8

export const stoppedImport = (): WorkbenchError =>
  new WorkbenchError('import_failed', 'The import was stopped: nothing was added to the catalogue.', {
    reason: 'stopped',
  })

/** Every pending image as its catalogue items, in the order read; issues for those that give none. */
export async function faceItems(pending: PendingImage[], call: FaceItemsCall): Promise<FaceItems> {
  const options = FaceFinderOptionsSchema.parse({ ...call.finder, crops: true })
  const results: PendingImage[][] = pending.map((p) => (p.step === 'whole' ? [p] : []))
  const issues: ImportReportIssue[] = []
  const report: ImportFacesReport = {
    mode: call.mode,
    photosSearched: 0,
    facesFound: 0,
    photosWithoutFace: 0,
    boxCrops: 0,
    backend: null,
  }
  const boxed = pending.flatMap((p, i) => (p.step === 'box' ? [i] : []))
  for (let start = 0; start < boxed.length; start += BOX_CROPS_IN_FLIGHT) {
    if (call.signal?.aborted) throw stoppedImport()
    const chunk = boxed.slice(start, start + BOX_CROPS_IN_FLIGHT)
    await Promise.all(
      chunk.map(async (i) => {
        const item = await boxItem(pending[i], call.cache, options)
        if ('issue' in item) issues.push(item.issue)
        else results[i] = [item]
      }),
    )
  }
  report.boxCrops = boxed.length - issues.length
  const searched = pending.flatMap((p, i) => (p.step === 'detect' ? [i] : []))
  const tracks = new FrameTracks()
  if (searched.length) await detectedItems(pending, searched, results, issues, report, { ...call, tracks })
  const frames = pending.filter((p) => p.frame)
  if (frames.length)
    report.frames = {
      searched: frames.filter((p) => p.step === 'detect').length,
      tracks: tracks.count,
      whole: frames.filter((p) => p.step === 'whole').length,
    }
  return { items: results.flat(), issues, report }
}

/** The crop of the box a dataset gave, or why it cannot be cut. */
async function boxItem(
  image: PendingImage,
  cache: CropCache,
  options: { cropSize: number; margin: number },
): Promise<PendingImage | { issue: ImportReportIssue }> {
  const box = image.faceBox!
  try {
    const crop = await boxCrop(image.file!, box, options) // only images read from a file get a face step
    const cropSha256 = await storeCrop(cache, crop)
    return { ...image, face: { sourcePath: image.path, index: 0, origin: 'dataset', box, cropSha256 } }
  } catch (e) {
    if (isWorkspaceWriteError(e)) throw e
    const b = `${box.x}, ${box.y}, ${box.width} x ${box.height}`
    return {
      issue: {
        ...image.at,
        reason: 'bad face box',
        detail: `${shortened(image.path)}: the face box (${b}) cannot be cut: ${(e as Error).message}`,
      },
    }
  }
}

/** Runs the face finder over the photos to search; each face found becomes an item. */
async function detectedItems(
  pending: PendingImage[],
  searched: number[],
  results: PendingImage[][],
  issues: ImportReportIssue[],
  report: ImportFacesReport,
  call: FaceItemsCall & { tracks: FrameTracks },
): Promise<void> {
  const crops: Promise<void>[] = []
  const tracks = call.tracks
  const onPhoto = (at: number, photo: PhotoFaces): void => {
    const image = pending[searched[at]]
    if (!photo.ok) {
      report.photosWithoutFace++
      const noFace = photo.problem.code === 'no_face'
      issues.push({
        ...image.at,
        reason: noFace ? 'no face found' : image.frame ? 'unreadable video' : 'unreadable image',
        detail: noFace ? `${shortened(image.path)}: no face found` : photo.problem.message,
      })
      return
    }
    report.facesFound += photo.faces.length
    const numbers = tracks.faceNumbers(image, photo.faces)
    crops.push(
      Promise.all(
        photo.faces.map(async (face, i) => {
          const cropSha256 = await storeCrop(call.cache, face.crop!)
          return {
            ...image,
            path: `${image.path}#face${numbers[i]}`,
            width: photo.width,
            height: photo.height,
            face: {
              sourcePath: image.frame?.videoPath ?? image.path,
              index: numbers[i],
              origin: 'detected' as const,
              box: face.box,
              score: face.score,
              landmarks: face.landmarks,
              cropSha256,
              ...(image.frame ? { frame: image.frame.number } : {}),
            },
          }
        }),
      ).then((items) => void (results[searched[at]] = items)),
    )
  }
  let done = 0
  const found = await findFaces(
    searched.map((i) => finderSource(pending[i])),
    { ...call.finder, crops: true },
    {
      keepCrops: false,
      signal: call.signal,
      launch: call.launch,
      onProgress: (progress, photo) => {
        onPhoto(done++, photo)
        call.onProgress?.(progress.done, progress.total, pending[searched[progress.done - 1]].at.file)
      },
    },
  ).finally(() => Promise.all(crops))
  await Promise.all(crops)
  report.photosSearched = found.photos.length
  report.backend = found.backend?.name ?? null
  if (found.stopped) throw stoppedImport()
}
