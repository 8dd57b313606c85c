import { createHash } from 'node:crypto'
import { open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ClassKind } from '../../shared/labels'
import { RunConfigSchema, type RunConfig } from '../../shared/run-config'

// A checkpoint bundles everything a run needs to resume exactly where it stopped (weights,
// optimiser state, batch-norm statistics, step, epoch, best score, config, class list), not only
// the weights. It is written atomically: a crash, a killed process or a full disk mid-write leaves
// the previous checkpoint in place and readable.
//
// File format (one binary file, little-endian):
//   bytes 0..7     magic "AWCKPT01"
//   bytes 8..11    uint32 H: length of the header in bytes
//   bytes 12..     H bytes of UTF-8 JSON header, padded with spaces so the data starts on an 8-byte
//                  boundary:
//                    { format: "affect-workbench/checkpoint@1", step, epoch, bestScore, config,
//                      classes: [{code, kind}], snapshotHash?, savedAt (ISO time),
//                      dataBytes, dataSha256 (hex of the data section),
//                      tensors: [{ group: "weights"|"optimizer"|"batchNorm", name,
//                                  dtype: "float32"|"int32", shape, offset (bytes from data start) }] }
//   then           the data section: each tensor's values, 4 bytes each, in header order.

const MAGIC = 'AWCKPT01'
const FORMAT = 'affect-workbench/checkpoint@1'
const GROUPS = ['weights', 'optimizer', 'batchNorm'] as const
type Group = (typeof GROUPS)[number]

export interface CheckpointTensor {
  name: string
  shape: number[]
  data: Float32Array | Int32Array
}

export interface Checkpoint {
  step: number
  epoch: number
  /** Best validation score so far (the run's model-selection metric), null before the first. */
  bestScore: number | null
  config: RunConfig
  /** The union label space the output columns stand for, in column order. */
  classes: { code: string; kind: ClassKind }[]
  /** Hash of the training snapshot the run trained on. */
  snapshotHash?: string
  weights: CheckpointTensor[]
  optimizer: CheckpointTensor[]
  batchNorm: CheckpointTensor[]
}

interface TensorEntry {
  group: Group
  name: string
  dtype: 'float32' | 'int32'
  shape: number[]
  offset: number
}
interface Header extends Omit<Checkpoint, Group> {
  format: string
  savedAt: string
  dataBytes: number
  dataSha256: string
  tensors: TensorEntry[]
}

/** Where a checkpoint is written before it is renamed into place. */
export const checkpointTempPath = (path: string): string => `${path}.partial`

const bytesOf = (t: CheckpointTensor): Buffer => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)

/** Writes the checkpoint to a temporary file, flushes it to disk, then renames it over `path`. */
export async function saveCheckpoint(path: string, ckpt: Checkpoint): Promise<void> {
  const tensors: TensorEntry[] = []
  const hash = createHash('sha256')
  let offset = 0
  for (const group of GROUPS) {
    for (const t of ckpt[group]) {
      const size = t.shape.reduce((a, b) => a * b, 1)
      if (size !== t.data.length)
        throw new Error(
          `checkpoint ${path}: ${group} tensor '${t.name}' has ${t.data.length} values but shape [${t.shape.join(', ')}]`,
        )
      tensors.push({
        group,
        name: t.name,
        dtype: t.data instanceof Int32Array ? 'int32' : 'float32',
        shape: t.shape,
        offset,
      })
      hash.update(bytesOf(t))
      offset += t.data.byteLength
    }
  }
  const { weights: _w, optimizer: _o, batchNorm: _b, ...meta } = ckpt
  const header: Header = {
    format: FORMAT,
    ...meta,
    savedAt: new Date().toISOString(),
    dataBytes: offset,
    dataSha256: hash.digest('hex'),
    tensors,
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((12 + Buffer.byteLength(json)) % 8)) % 8)
  const head = Buffer.alloc(12)
  head.write(MAGIC, 0, 'latin1')
  head.writeUInt32LE(Buffer.byteLength(json), 8)

  const temp = checkpointTempPath(path)
  const file = await open(temp, 'w')
  try {
    await file.write(head)
    await file.write(Buffer.from(json, 'utf8'))
    for (const group of GROUPS) for (const t of ckpt[group]) await file.write(bytesOf(t))
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temp, path)
  await syncDirectory(dirname(path))
}

/** Makes the rename itself durable; some platforms (Windows) cannot open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // best effort
  }
}

/** Reads a checkpoint written by saveCheckpoint; values come back as plain typed arrays. */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const buf = await readFile(path)
  const fail = (why: string): never => {
    throw new Error(`checkpoint ${path}: ${why}`)
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) fail('not a workbench checkpoint (wrong magic bytes)')
  const headerBytes = buf.readUInt32LE(8)
  if (12 + headerBytes > buf.length) fail(`truncated: header claims ${headerBytes} bytes, file has ${buf.length}`)
  let header: Header
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerBytes)) as Header
  } catch {
    return fail('header is not valid JSON (file damaged)')
  }
  if (header.format !== FORMAT) fail(`format '${header.format}' is not '${FORMAT}'`)
  const data = buf.subarray(12 + headerBytes)
  if (data.length !== header.dataBytes)
    fail(`truncated or damaged: ${data.length} data bytes, expected ${header.dataBytes}`)
  if (createHash('sha256').update(data).digest('hex') !== header.dataSha256)
    fail('data does not match its checksum (file damaged)')
  const config = RunConfigSchema.safeParse(header.config)
  if (!config.success)
    fail(`config is not valid: ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)

  const groups: Record<Group, CheckpointTensor[]> = { weights: [], optimizer: [], batchNorm: [] }
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1)
    // Copy into a fresh, aligned buffer: the file buffer may start at any byte offset.
    const bytes = data.buffer.slice(data.byteOffset + t.offset, data.byteOffset + t.offset + size * 4)
    groups[t.group].push({
      name: t.name,
      shape: t.shape,
      data: t.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes),
    })
  }
  const { format: _f, savedAt: _s, dataBytes: _d, dataSha256: _h, tensors: _t, ...meta } = header
  return { ...meta, config: config.data as RunConfig, ...groups }
}
