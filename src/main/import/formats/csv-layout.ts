import { DatasetError, type ImportIssue, type ReaderOptions } from '../record'
import { classCodeOf } from './common/classes'
import { columnsOf, duplicateColumn, wrongHeader } from './common/csv-rows'
import { quoted } from './common/shown'

// How the `csv` format reads a header: by default `path`, an optional `split`, and one column per
// class named by its code (the workbench's own labels export has exactly this layout); any other
// layout is declared with options (pathColumn, splitColumn, columns, labelColumn, values...).

export interface CsvLayout {
  path: number
  split?: number
  /** Multi-label columns: one class each, cells 1 / 0 / unknown. */
  labels: { index: number; header: string; code: string }[]
  /** `AU12_r` beside `AU12` (the labels export): FACS intensity 0-5 of that AU, empty = none. */
  intensities: { index: number; header: string; code: string }[]
  /** Single-label column: a class name (or a code of labelCodes) per row, stored one-hot. */
  labelColumn?: { index: number; header: string; codeOf: (value: string) => string | undefined; declared?: string[] }
  face?: { x: number; y: number; width: number; height: number }
  attributes: { index: number; header: string; name: string }[]
  /** Headers the default layout could not place; reported once, then ignored. */
  ignored: string[]
  width: number
}

const FACE = ['face_x', 'face_y', 'face_width', 'face_height'] as const

/**
 * The documented cell values: 1 present, 0 absent (also 1.0 / 0.0, as pandas writes a column with
 * gaps), empty or ? unknown. Anything else (yes, true, 2...) is reported and left unknown unless the
 * values option says what it means: guessing would store a label nobody gave.
 */
const DEFAULT_VALUES: Record<string, 0 | 1 | null> = { '1': 1, '1.0': 1, '0': 0, '0.0': 0, '': null, '?': null }

/** Cell text -> 1 / 0 / null (unknown) / undefined (not understood), defaults merged with options.values. */
export function valueReader(options: ReaderOptions): (cell: string) => 0 | 1 | null | undefined {
  const map = new Map(Object.entries(DEFAULT_VALUES))
  for (const [k, v] of Object.entries(options.values ?? {})) map.set(k.trim().toLowerCase(), v)
  return (cell) => map.get(cell.trim().toLowerCase())
}

function declaredClass(option: string, header: string, name: string): string {
  const code = classCodeOf(name)
  if (!code)
    throw new DatasetError(
      `The ${option} option maps "${header}" to "${name}", which is no emotion, AU or compound class.`,
    )
  return code
}

/** Two columns naming one class (`happy` twice, or `happy` and `Happiness`): which one to trust is unclear. */
function sameClassTwice(file: string, labels: CsvLayout['labels']): ImportIssue | undefined {
  const first = new Map<string, CsvLayout['labels'][number]>()
  for (const l of labels) {
    const earlier = first.get(l.code)
    if (!earlier) {
      first.set(l.code, l)
      continue
    }
    const what =
      earlier.header.trim() === l.header.trim()
        ? `column ${quoted(l.header.trim())} appears twice`
        : `columns ${quoted(earlier.header.trim())} and ${quoted(l.header.trim())} both name class ${l.code}`
    return {
      kind: 'issue',
      file,
      row: 1,
      column: l.header.trim(),
      reason: 'wrong header',
      detail: `${what} (columns ${earlier.index + 1} and ${l.index + 1}): which one holds the labels is unclear; file skipped`,
    }
  }
  return undefined
}

/** Reads the header into a layout, or the 'wrong header' issue naming the columns it needs. */
export function csvLayout(header: string[], file: string, options: ReaderOptions): CsvLayout | ImportIssue {
  const pathName = options.pathColumn ?? 'path'
  const required = [
    pathName,
    ...(options.splitColumn ? [options.splitColumn] : []),
    ...(options.labelColumn ? [options.labelColumn] : []),
    ...Object.keys(options.columns ?? {}),
  ]
  const at = columnsOf(header, required)
  if (!at)
    return wrongHeader(
      file,
      options.columns || options.labelColumn ? required : [...required, '<class code>...'],
      header,
    )
  const twice = duplicateColumn(file, header, [...required, 'split', ...Object.keys(options.attributes ?? {}), ...FACE])
  if (twice) return twice
  const layout: CsvLayout = {
    path: at[pathName],
    labels: [],
    intensities: [],
    attributes: [],
    ignored: [],
    width: header.length,
  }
  const used = new Set<number>([at[pathName]])

  const split = options.splitColumn ? at[options.splitColumn] : columnsOf(header, ['split'])?.split
  if (split !== undefined) {
    layout.split = split
    used.add(split)
  }

  if (options.labelColumn) {
    const index = at[options.labelColumn]
    used.add(index)
    const codes = options.labelCodes
    if (codes) {
      const map = new Map(
        Object.entries(codes).map(([value, name]) => [value.trim(), declaredClass('labelCodes', value, name)]),
      )
      layout.labelColumn = {
        index,
        header: options.labelColumn,
        codeOf: (v) => map.get(v.trim()),
        declared: [...new Set(map.values())],
      }
    } else {
      layout.labelColumn = { index, header: options.labelColumn, codeOf: classCodeOf }
    }
  }

  for (const [name, attr] of Object.entries(options.attributes ?? {})) {
    const found = columnsOf(header, [name])
    if (!found) return wrongHeader(file, [...required, name], header)
    layout.attributes.push({ index: found[name], header: name, name: attr })
    used.add(found[name])
  }

  const face = columnsOf(header, FACE)
  if (face) {
    layout.face = { x: face.face_x, y: face.face_y, width: face.face_width, height: face.face_height }
    for (const i of Object.values(face)) used.add(i)
  }

  if (options.columns) {
    for (const [name, cls] of Object.entries(options.columns)) {
      layout.labels.push({ index: at[name], header: name, code: declaredClass('columns', name, cls) })
    }
  } else {
    header.forEach((h, index) => {
      if (used.has(index)) return
      const code = classCodeOf(h)
      const intensityOf = /^(.+)_r$/i.exec(h.trim())
      if (code) layout.labels.push({ index, header: h.trim(), code })
      else if (intensityOf && classCodeOf(intensityOf[1]))
        layout.intensities.push({ index, header: h.trim(), code: classCodeOf(intensityOf[1])! })
      else if (h.trim()) layout.ignored.push(h.trim())
    })
  }
  return sameClassTwice(file, layout.labels) ?? layout
}
