import type { IncomingMessage } from 'node:http'

// Who may talk to the headless server. It listens on 127.0.0.1 only, but any page the browser
// shows can send requests there: another local web app (other port, same "site" for cookies), or
// a remote site whose DNS name was rebound to 127.0.0.1. So, besides the token:
// - the Host must be a loopback name (any port: an SSH tunnel maps the server to another local
//   port, `ssh -L 8080:127.0.0.1:4173` gives Host localhost:8080); other names are DNS rebinding;
// - a write (/api) must be application/json, which a page cannot send to another origin without
//   a CORS preflight we never answer, and its Origin, when the browser sends one, must be this
//   server as the page sees it: http://<the request's own Host>, which is right through a tunnel;
// - the event socket checks Host and Origin the same way (browsers apply no CORS to WebSockets);
// - browsers say where a request comes from (Sec-Fetch-Site): API calls, events, media and
//   downloads from another site or origin are refused, so another page cannot even show our images.

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i

/** The Host header when it names this machine's loopback (any port), lower-cased; else null. */
export function loopbackHost(req: IncomingMessage): string | null {
  const host = req.headers.host ?? ''
  const m = LOOPBACK_HOST.exec(host)
  if (!m || (m[1] !== undefined && Number(m[1]) > 65535)) return null
  return host.toLowerCase()
}

/** The page's own origin as the browser sees it, from the (checked) Host of the request. */
export const ownOrigin = (host: string): string => `http://${host}`

/** Our origin as a page reached through http, or through a TLS proxy on this machine, reports it. */
const isOwnOrigin = (origin: string, host: string): boolean => {
  const o = origin.toLowerCase()
  return o === `http://${host}` || o === `https://${host}`
}

/** Why a request from a page is refused, or null when its Origin and Sec-Fetch-Site say it is our own page (or no browser). */
export function foreignPage(req: IncomingMessage, host: string): string | null {
  const origin = req.headers.origin
  if (origin !== undefined && !isOwnOrigin(origin, host)) {
    return `Requests from another page (Origin ${origin}) are refused: open the workbench at ${ownOrigin(host)}.`
  }
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `Requests from another page (Sec-Fetch-Site: ${site}) are refused.`
  return null
}

/** Why an API body is refused unless it is declared as JSON (what a cross-origin page cannot send without asking). */
export function notJson(req: IncomingMessage): string | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  return type === 'application/json'
    ? null
    : `API calls must send Content-Type: application/json${type ? `, not ${type}` : ''}.`
}
