import { IMPORT_FORMATS, type Split } from '../../shared/contract'
import type { FaceBox } from '../../shared/faces'

// What a dataset reader hands to the import writer: one normalised record per image, or an issue
// saying what was skipped and why. Readers never decode images and never write anything; the writer
// hashes, dedupes, decodes and stores in one transaction.

/** The `--format` values, one per dataset layout the workbench reads in place. */
export const FORMAT_NAMES = IMPORT_FORMATS
export type FormatName = (typeof FORMAT_NAMES)[number]

/**
 * A known label of one class. `intensity`: FACS 1-5 (A-E) on a present AU, or 1 on an absent one for
 * a dataset's trace below its presence threshold (shared/intensity.ts); `soft` a share of votes (0-1).
 */
export interface LabelEntry {
  value: 0 | 1
  intensity?: number
  soft?: number
}

/**
 * Image given as a file on the user's disk (absolute, inside the dataset root) or as raw pixels
 * (FER2013), row-major, `name` a file-name stem unique in the dataset (`fer0000000`), no extension.
 */
export type RecordImage =
  | { type: 'file'; path: string }
  | FrameImage
  | { type: 'pixels'; name: string; width: number; height: number; channels: 1 | 3; data: Uint8Array }

/**
 * A frame of a video, decoded small by the reader (video/import-video.ts): decoding each frame on
 * its own would take minutes per video. Its full size is decoded again on demand.
 */
export interface FrameImage {
  type: 'frame'
  video: VideoSource
  frame: number
  time: number
  /** RGB, `size` of the video's frames fitted in the thumbnail box. */
  rgb: Buffer
}

/** One video file of a dataset, shared by its frames' records; `frames` is final once its last frame is read. */
export interface VideoSource {
  /** Absolute, inside the dataset folder. */
  file: string
  sha256: string
  width: number
  height: number
  /** The rate its frames are numbered at (the video's own, or --fps). */
  fps: number
  /** The video's own rate. */
  nativeFps: number
  frames: number
  duration: number
  codec: string
  small: { width: number; height: number }
}

export interface ImportRecord {
  kind: 'record'
  /**
   * Where it came from, for the report: file relative to the dataset root; row is the line of the
   * label file (header = 1; xlsx: the sheet row; DISFA: the frame number).
   */
  source: { file: string; row?: number }
  image: RecordImage
  split?: Split
  /** Only KNOWN labels, keyed by catalogue class code. A missing key means unknown, never absent. */
  labels: Record<string, LabelEntry>
  faceBox?: FaceBox
  /** Continuous annotations such as valence and arousal; invalid values are left out. */
  attributes?: Record<string, number>
}

export type IssueReason =
  | 'missing image'
  | 'unreadable image'
  | 'unknown code'
  | 'malformed row'
  | 'duplicate content'
  | 'path escapes root'
  | 'link not followed'
  | 'wrong header'
  | 'empty file'
  | 'unreadable file'
  | 'bad label value'
  | 'not a face'
  | 'unlabelled'
  | 'not a video'
  | 'no video stream'
  | 'truncated video'
  | 'unreadable video'
  | 'frame past the end'

/**
 * Something a reader skipped or could not interpret; `file` is relative to the dataset root, `row`
 * the line an editor shows, `column` the header of the cell concerned. `kept` marks an issue about
 * one value of an image that was still imported (that label left unknown, the split left out...).
 */
export interface ImportIssue {
  kind: 'issue'
  file: string
  row?: number
  column?: string
  reason: IssueReason
  detail: string
  kept?: true
  /** The video (absolute path) whose frames, already read, are taken back: it ended early. */
  dropsVideo?: string
}

export type ReaderItem = ImportRecord | ImportIssue

/**
 * Options of every reader in one flat bag (the CLI and the import dialog fill it). Paths are relative
 * to the dataset root. Each field names the formats that read it; the others ignore it.
 */
export interface ReaderOptions {
  /** The label file inside the root: csv, fer2013, ferplus, affectnet, emotionet (default: the format's usual name). */
  file?: string
  /** Folder holding the images: emotionet (URL basenames), affectnet, disfa (one folder per subject), bp4d. */
  imagesDir?: string
  /** csv: column with the image path, relative to the CSV's folder (default `path`). */
  pathColumn?: string
  /** csv: column with train / val / test (default `split` when present). */
  splitColumn?: string
  /** csv: header -> class code for the label columns; without it every header that names a class is one. */
  columns?: Record<string, string>
  /** csv: cell text -> 1 present, 0 absent, null unknown; merged over the defaults (1/0/empty/?). */
  values?: Record<string, 0 | 1 | null>
  /** csv: one column holding a class name per row (`path,emotion`), stored one-hot over its classes. */
  labelColumn?: string
  /** csv: labelColumn value -> class code (e.g. `'3': 'happy'`); default: the value names the class. */
  labelCodes?: Record<string, string>
  /** csv: header -> attribute name for numeric columns to keep (e.g. `{ valence: 'valence' }`). */
  attributes?: Record<string, string>
  /** ferplus: fer2013.csv holding the pixels (default: beside fer2013new.csv). */
  fer2013File?: string
  /** ferplus: `most-votes` (default; ties unknown) or `over-half` (FER+ reference code: drop single votes, need > 50%). */
  majority?: 'most-votes' | 'over-half'
  /** ckplus: also import the frames without a FACS or Emotion file, with unknown labels. */
  allFrames?: boolean
  /** rafdb: `basic` (7 emotions, default) or `compound` (11 compound emotions). */
  subset?: 'basic' | 'compound'
  /** disfa: added to a label frame number to get the image's number (e.g. -1 when images count from 0). */
  frameOffset?: number
  /** csv: the dataset marks several emotions present on one image (multi-label); otherwise such a row is skipped. */
  multiLabel?: boolean
  /** video, disfa (videos): frames per second to take (default: every frame, at the video's own rate). */
  fps?: number
  /** disfa: the camera whose videos are read (`Videos_LeftCamera`, default, or `Videos_RightCamera`). */
  camera?: 'left' | 'right'
}

/**
 * Reads one dataset layout. `root` is the dataset folder; the formats with one label file (csv,
 * fer2013, ferplus, emotionet, affectnet) also take that file, whose folder is then the root that
 * image paths are inside and relative to (`datasetFolder` in formats/index.ts).
 */
export interface DatasetReader {
  format: FormatName
  /** One line for --help. */
  describe: string
  /** The classes this dataset annotates (its label space), as catalogue codes. */
  labelSpace(root: string, options: ReaderOptions): Promise<string[]>
  /** Whether its images may carry several emotions at once (FER+ votes); by default one emotion per image. */
  multiLabel?(options: ReaderOptions): boolean
  /** Records and issues in a stable order. Rejects (DatasetError) only when the dataset cannot be read at all. */
  read(root: string, options: ReaderOptions): AsyncIterable<ReaderItem>
}

/** The dataset cannot be read at all (root missing, label file absent): the message says what to pass. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message)
    this.name = 'DatasetError'
  }
}
