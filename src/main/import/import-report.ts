import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import type { ImportReportIssue } from '../../shared/contract'

// A dataset with a systematic problem yields one issue per row: a million lines nobody reads, that
// the CLI and the HTTP answer would carry whole. The report lists the first ones of each reason and
// counts the rest; the complete list goes to a CSV file in the workspace.

export const ISSUES_LISTED_PER_REASON = 200
/** A detail longer than this was built from a value no reader shortened; it is cut as a last resort. */
const DETAIL_LIMIT = 1000

export interface IssueCounts {
  skipped: number
  skippedByReason: Record<string, number>
  notes: number
  notesByReason: Record<string, number>
}

export function countIssues(issues: readonly ImportReportIssue[]): IssueCounts {
  const counts: IssueCounts = { skipped: 0, skippedByReason: {}, notes: 0, notesByReason: {} }
  for (const i of issues) {
    const by = i.kept ? counts.notesByReason : counts.skippedByReason
    by[i.reason] = (by[i.reason] ?? 0) + 1
    if (i.kept) counts.notes++
    else counts.skipped++
  }
  return counts
}

export function boundedDetail(detail: string): string {
  return detail.length <= DETAIL_LIMIT
    ? detail
    : `${detail.slice(0, DETAIL_LIMIT)}... (message cut, ${detail.length} characters)`
}

/** The issues a report lists (the first of each reason, in the order met) and how many it leaves off. */
export function listedIssues(issues: readonly ImportReportIssue[]): {
  listed: ImportReportIssue[]
  leftOff: Record<string, number>
} {
  const seen: Record<string, number> = {}
  const leftOff: Record<string, number> = {}
  const listed: ImportReportIssue[] = []
  for (const i of issues) {
    seen[i.reason] = (seen[i.reason] ?? 0) + 1
    if (seen[i.reason] <= ISSUES_LISTED_PER_REASON) listed.push(i)
    else leftOff[i.reason] = (leftOff[i.reason] ?? 0) + 1
  }
  return { listed, leftOff }
}

/** Writes every issue as a CSV (file,row,column,reason,kept,detail) into `dir`; returns its path. */
export function writeIssuesFile(
  dir: string,
  dataset: string,
  issues: readonly ImportReportIssue[],
  now = new Date(),
): string {
  mkdirSync(dir, { recursive: true })
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const file = join(dir, `${dataset.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}.issues.csv`)
  const rows = issues.map((i) => [
    i.file,
    i.row ?? '',
    i.column ?? '',
    i.reason,
    i.kept ? 'imported' : 'skipped',
    i.detail,
  ])
  try {
    writeFileSync(file, stringify([['file', 'row', 'column', 'reason', 'outcome', 'detail'], ...rows]))
  } catch (e) {
    rmSync(file, { force: true }) // a disk that filled up midway leaves no partial list behind
    throw e
  }
  return file
}
