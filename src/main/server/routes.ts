import type { IncomingMessage, ServerResponse } from 'node:http'
import type { MediaKind } from '../catalogue/media'
import { answerApiCall } from './api-call'
import type { Caller } from '../app/caller'
import { callerOfToken, presentedToken } from './callers'
import { findDownload, sendDownload } from './downloads'
import { sendImage } from './images'
import { foreignPage, loopbackHost } from './request-guard'
import { send, sendError, sendText } from './responses'
import type { HeadlessOptions } from './server-options'
import { sendRendererFile } from './static-files'

// What the headless server answers, as a table: each route names its paths, how a request shows
// the token, whether only our own page may send it, and who answers. Every request first comes
// from a loopback Host (request-guard.ts), then shows a token (auth.ts; on a lab server the admin's
// or a coder's, callers.ts), then reaches its route with the caller that token stands for.

/** One server's settings, as every route sees them. */
export interface ServerSettings {
  options: HeadlessOptions
  token: string
  maxBody: number
}

interface Request {
  server: ServerSettings
  req: IncomingMessage
  res: ServerResponse
  url: URL
  host: string
  match: RegExpExecArray
  /** Who the token shown stands for (the local user, or on a lab server the admin or a coder). */
  caller: Caller
  /** The token shown: the cookie the page's tags carry is set to it. */
  token: string
}

interface Route {
  /** What the route serves. */
  what: string
  path: RegExp
  /** API calls answer errors as JSON; the rest as text. */
  json: boolean
  /** What tags load (the page, assets, images, downloads) may carry the token in the cookie; API calls must show it themselves. */
  tokenInCookie: boolean
  /** Refused when the browser says another page sent the request (request-guard.ts). */
  ownPageOnly: boolean
  answer(r: Request): Promise<void> | void
}

const rendererFile = (r: Request): void =>
  sendRendererFile(r.res, r.req, {
    rendererDir: r.server.options.rendererDir,
    url: r.url,
    host: r.host,
    token: r.token,
  })

export const ROUTES: readonly Route[] = [
  {
    what: 'a call of the contract: POST /api/<method>',
    path: /^\/api\//,
    json: true,
    tokenInCookie: false,
    ownPageOnly: true,
    answer: (r) => answerApiCall(r.server.options.router, r.server.maxBody, r.req, r.res, r.url, r.caller),
  },
  {
    what: 'an image of the catalogue: GET /media/full|thumb|crop|proxy/<id>',
    path: /^\/media\/(full|thumb|crop|proxy)\/(\d+)$/,
    json: false,
    tokenInCookie: true,
    ownPageOnly: true,
    answer: (r) =>
      r.req.method === 'GET'
        ? sendImage(r.res, r.server.options.media, r.match[1] as MediaKind, Number(r.match[2]))
        : rendererFile(r),
  },
  {
    what: 'an export to save: GET /download/<id>[/sidecar]',
    path: /^\/download\/([A-Za-z0-9_-]+)(\/sidecar)?$/,
    json: false,
    tokenInCookie: true,
    ownPageOnly: true,
    answer: (r) =>
      r.req.method === 'GET' || r.req.method === 'HEAD'
        ? sendDownload(
            r.res,
            findDownload(r.server.options.download, r.match[1], r.match[2] ? 'sidecar' : 'csv'),
            r.req.method === 'HEAD',
          )
        : rendererFile(r),
  },
  {
    what: 'a file of the renderer build (the page and its assets)',
    path: /^/,
    json: false,
    tokenInCookie: true,
    ownPageOnly: false,
    answer: rendererFile,
  },
]

function refuse(route: Route, res: ServerResponse, status: 401 | 403, message: string): void {
  if (route.json) return sendError(res, status, { code: status === 401 ? 'unauthorized' : 'forbidden', message })
  return sendText(res, status, message)
}

/** Answers one request: loopback Host, then the token, then (for some routes) our own page, then the route. */
export async function answerRequest(server: ServerSettings, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  // A page on another site cannot reach us through a rebound DNS name: only loopback names.
  const host = loopbackHost(req)
  if (!host) return send(res, 403, 'text/plain', 'Forbidden host')
  const route = ROUTES.find((r) => r.path.test(url.pathname))!
  const given = presentedToken(req, url, host, route.tokenInCookie)
  const identified = callerOfToken(given, server.token, server.options.lab)
  if ('refused' in identified) return refuse(route, res, 401, identified.refused)
  if (route.ownPageOnly) {
    const foreign = foreignPage(req, host)
    if (foreign) return refuse(route, res, 403, foreign)
  }
  const { caller, token } = identified
  return route.answer({ server, req, res, url, host, match: route.path.exec(url.pathname)!, caller, token })
}
