import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// The headless server's token: printed once in the URL, then carried by the page. API calls and
// the event socket must show it themselves (Authorization header, or the query of the socket's
// URL); what a tag cannot authenticate (the page, its assets, <img>, download links) may carry it
// in a cookie the first visit sets.

export const UNAUTHORIZED = 'Unauthorized: open the URL with ?token=... that `affect serve` printed.'

/** A fresh random token for one server. */
export const newToken = (): string => randomBytes(24).toString('base64url')

/** Compares in constant time, so the answer's timing says nothing about the token. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The cookie carries the token for what a tag cannot authenticate itself. Cookies ignore the port,
 * so its name carries the port the browser sees: two workbenches on one machine keep their own.
 */
export const cookieName = (host: string): string => `affect_token_${/:(\d+)$/.exec(host)?.[1] ?? '80'}`

/** The Set-Cookie header that lets the page's tags carry the token. */
export const tokenCookie = (host: string, token: string): Record<string, string> => ({
  'Set-Cookie': `${cookieName(host)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
})

export function cookieToken(req: IncomingMessage, host: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === cookieName(host)) return v ?? null
  }
  return null
}

/**
 * The token from the Authorization header (API) or the query (first visit, the event socket).
 * API calls and the event socket never take it from the cookie, which the browser would also
 * attach to another page's requests.
 */
export function explicitToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7)
  return url.searchParams.get('token')
}
