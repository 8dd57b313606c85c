import type { IncomingMessage } from 'node:http'
import { LOCAL_CALLER, labAdmin, type Caller } from '../app/caller'
import { cookieToken, explicitToken, sameToken, UNAUTHORIZED } from './auth'

// Who a request comes from. A plain server has one token: whoever shows it is the local user. A lab
// server (`affect serve --lab`) also knows each coder's personal token (through `identify`, which
// looks the token's hash up in the workspace): the server's own token is the admin's link, a
// coder's token their own link, a revoked token is refused as such.

export interface LabAuth {
  /** The admin's name, as their edits record it. */
  admin: string
  /** The coder whose personal token this is; 'revoked' when their link was revoked; null when nobody's. */
  identify(token: string): Caller | 'revoked' | null
}

export type Identified = { caller: Caller; token: string } | { refused: string }

export const REVOKED = 'Unauthorized: this link was revoked. Ask the lab admin for a new one.'

/** The token a request shows: explicitly (header, query) or, for what tags load, in the cookie too. */
export function presentedToken(req: IncomingMessage, url: URL, host: string, cookieAllowed: boolean): string | null {
  return cookieAllowed ? (explicitToken(req, url) ?? cookieToken(req, host)) : explicitToken(req, url)
}

/** The caller a token stands for on this server, or why it is refused (401). */
export function callerOfToken(given: string | null, token: string, lab: LabAuth | undefined): Identified {
  if (given && sameToken(given, token)) return { caller: lab ? labAdmin(lab.admin) : LOCAL_CALLER, token: given }
  if (!given || !lab) return { refused: UNAUTHORIZED }
  const caller = lab.identify(given)
  if (caller === 'revoked') return { refused: REVOKED }
  return caller ? { caller, token: given } : { refused: UNAUTHORIZED }
}
