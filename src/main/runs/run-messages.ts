import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { RunMessage } from '../../shared/contract'
import { runRow } from './run-rows'

// The trainer's messages of a run, one JSON line each in the run's folder, so that the live run view
// shows them again after the view is left, the app restarts or the run is resumed.

/** Most messages a run keeps on screen (decoding logs of big datasets would otherwise pile up). */
const SHOWN = 2000

export const runMessagesFile = (runsDir: string, runId: number): string =>
  join(runsDir, String(runId), 'messages.jsonl')

/** Appends one message; a message that cannot be written must not stop the run, so errors are swallowed. */
export function appendRunMessage(file: string, message: RunMessage): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    appendFileSync(file, JSON.stringify(message) + '\n')
  } catch {
    // The run goes on; the message was still published live.
  }
}

/** The run's messages, oldest first (the last SHOWN of them); lines that do not parse are skipped. */
export function readRunMessages(file: string): RunMessage[] {
  if (!existsSync(file)) return []
  const messages: RunMessage[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      const m = JSON.parse(line) as RunMessage
      if (typeof m.message === 'string' && typeof m.at === 'string') messages.push(m)
    } catch {
      // A line cut short by a crash while it was written.
    }
  }
  return messages.slice(-SHOWN)
}

/** runs.messages: the messages of a run of this workspace (an unknown id is an error naming it). */
export function runMessages(db: Database, runsDir: string, runId: number): RunMessage[] {
  runRow(db, runId)
  return readRunMessages(runMessagesFile(runsDir, runId))
}
