import type { Database } from 'better-sqlite3'
import { createHash, randomBytes } from 'node:crypto'
import type { CoderInfo, CoderRole } from '../../shared/contract'
import { WorkbenchError } from '../../shared/errors'
import { prepared } from '../db/statements'
import { isoTime } from '../catalogue/time'

// The coders of a workspace (migration 0008). A coder's personal link carries a token of 32 random
// bytes; the workspace keeps only its sha256 (a slow hash adds nothing for a random 256-bit secret),
// so a copied catalogue gives no working link. Revoking sets revoked_at: the link stops working, the
// coder's codes stay.

export interface CoderRow {
  id: number
  name: string
  role: CoderRole
  token_hash: string | null
  created_at: number
  revoked_at: number | null
}

export const coderInfoOf = (r: CoderRow): CoderInfo => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: isoTime(r.created_at),
  revokedAt: r.revoked_at === null ? null : isoTime(r.revoked_at),
  hasLink: r.token_hash !== null,
})

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

export function listCoders(db: Database): CoderInfo[] {
  return prepared<CoderRow>(db, 'SELECT * FROM coders ORDER BY id').all().map(coderInfoOf)
}

export function findCoder(db: Database, name: string): CoderRow | undefined {
  return prepared<CoderRow>(db, 'SELECT * FROM coders WHERE name = ? COLLATE NOCASE').get(name.trim())
}

/** The coder by name, or an error naming the field and listing who exists. */
export function requireCoder(db: Database, name: string, field = 'coder'): CoderRow {
  const row = findCoder(db, name)
  if (row) return row
  const known = listCoders(db).map((c) => c.name)
  throw new WorkbenchError(
    'not_found',
    `No coder named "${name}" (${field}). ${known.length ? `Coders: ${known.join(', ')}.` : 'There are no coders yet.'} Add one with \`affect coders add\` or in the Coders view.`,
    { field, name },
  )
}

/** Adds a coder with a fresh personal token (returned once). A name already taken is refused. */
export function createCoder(db: Database, name: string, role: CoderRole, now = Date.now()) {
  const taken = findCoder(db, name)
  if (taken)
    throw new WorkbenchError('conflict', `The coder name "${taken.name}" is already taken: choose another name.`, {
      field: 'name',
      name,
    })
  const token = randomBytes(32).toString('base64url')
  const { lastInsertRowid } = prepared(
    db,
    'INSERT INTO coders (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)',
  ).run(name.trim(), role, hashToken(token), now)
  const row = prepared<CoderRow>(db, 'SELECT * FROM coders WHERE id = ?').get(lastInsertRowid)!
  return { coder: coderInfoOf(row), token }
}

/** The coder of this name, created without a link when missing (the desktop app's annotator, `--who`). */
export function ensureCoder(db: Database, name: string, now = Date.now()): CoderRow {
  const found = findCoder(db, name)
  if (found) return found
  prepared(db, 'INSERT INTO coders (name, role, created_at) VALUES (?, ?, ?)').run(name.trim(), 'coder', now)
  return findCoder(db, name)!
}

export function revokeCoder(db: Database, name: string, now = Date.now()): CoderInfo {
  const row = requireCoder(db, name, 'name')
  if (row.revoked_at === null) prepared(db, 'UPDATE coders SET revoked_at = ? WHERE id = ?').run(now, row.id)
  return coderInfoOf(prepared<CoderRow>(db, 'SELECT * FROM coders WHERE id = ?').get(row.id)!)
}

export type TokenOwner = { coder: CoderRow } | { revoked: CoderRow } | null

/** Whose personal token this is: a working coder, a revoked one, or nobody. */
export function coderOfToken(db: Database, token: string): TokenOwner {
  const row = prepared<CoderRow>(db, 'SELECT * FROM coders WHERE token_hash = ?').get(hashToken(token))
  if (!row) return null
  return row.revoked_at === null ? { coder: row } : { revoked: row }
}
