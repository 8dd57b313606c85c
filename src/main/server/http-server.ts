import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ErrorData } from '../../shared/errors'
import type { EventBus } from '../app/event-bus'
import type { Router } from '../app/router'
import type { Media, MediaKind } from '../catalogue/media'
import { BodyTooLarge, discardRest, MAX_BODY_BYTES, readBody } from './request-body'
import { foreignPage, loopbackHost, notJson } from './request-guard'
import { send, sendDownload, sendError, sendJson, sendText, type Download } from './responses'
import { readStatic } from './static-files'

export type { Download } from './responses'

export interface HeadlessOptions {
  router: Router
  events: EventBus
  /** The renderer build (out/renderer). Nothing outside it is served. */
  rendererDir: string
  /** Image bytes by id, for <img> tags that cannot send headers. */
  media: (id: number, kind: MediaKind) => Promise<Media>
  token?: string
  /** Largest request body accepted (bytes); 16 MB by default. */
  maxBody?: number
  /** A workspace export by its opaque id (exports.create), for GET /download/<id>[/sidecar]; null when there is none. */
  download?: (id: string, part: 'csv' | 'sidecar') => Download | null
}

export interface HeadlessServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const STATUS: Partial<Record<ErrorData['code'], number>> = {
  invalid_arguments: 400, unknown_method: 404, not_found: 404, unauthorized: 401, forbidden: 403, conflict: 409, no_workspace: 409, workspace_exists: 409,
  workspace_not_found: 404, database_too_new: 409, too_large: 413, timeout: 504, internal: 500,
}

const UNAUTHORIZED = 'Unauthorized: open the URL with ?token=... that `affect serve` printed.'

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The cookie carries the token for what a tag cannot authenticate itself (the page, its assets, <img>
 * and download links). Cookies ignore the port, so its name carries the port the browser sees: two
 * workbenches on one machine keep their own.
 */
const cookieName = (host: string): string => `affect_token_${/:(\d+)$/.exec(host)?.[1] ?? '80'}`

function cookieToken(req: IncomingMessage, host: string): string | null {
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
function explicitToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7)
  return url.searchParams.get('token')
}

/** Calls the router for POST /api/<method>, after the checks only a JSON body from our own page passes. */
async function handleApi(options: HeadlessOptions, maxBody: number, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_arguments', message: 'Use POST for API calls.' })
  const wrongType = notJson(req)
  if (wrongType) return sendError(res, 415, { code: 'invalid_arguments', message: wrongType, details: { field: 'Content-Type' } })
  let args: unknown
  try {
    const body = (await readBody(req, maxBody)).toString('utf8')
    args = body ? JSON.parse(body) : {}
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) return sendError(res, 400, { code: 'invalid_arguments', message: `The request body is not valid JSON: ${(e as Error).message}` })
    sendError(res, 413, { code: 'too_large', message: e.message, details: { limit: e.limit } })
    return discardRest(req)
  }
  const result = await options.router.call(decodeURIComponent(url.pathname.slice(5)), args)
  return sendJson(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result)
}

async function handleMedia(options: HeadlessOptions, res: ServerResponse, kind: MediaKind, id: number): Promise<void> {
  try {
    const m = await options.media(id, kind)
    return send(res, 200, m.mime, m.bytes, { 'Cache-Control': 'private, max-age=3600' })
  } catch (e) {
    return sendText(res, 404, (e as Error).message)
  }
}

function findDownload(options: HeadlessOptions, id: string, part: 'csv' | 'sidecar'): Download | null {
  try {
    return options.download?.(id, part) ?? null
  } catch {
    return null
  }
}

/**
 * Headless mode: the renderer build and the API over HTTP (POST /api/<method>) with events over a
 * WebSocket (/events), on 127.0.0.1 only, every request checked against a random token and, from a
 * browser, against the page it comes from (request-guard.ts).
 */
export async function startHeadlessServer(options: HeadlessOptions, port = 0): Promise<HeadlessServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const maxBody = options.maxBody ?? MAX_BODY_BYTES

  // connect-src names the event socket as the page reaches it (through an SSH tunnel: its local port).
  const csp = (host: string) =>
    `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://${host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // A page on another site cannot reach us through a rebound DNS name: only loopback names.
    const host = loopbackHost(req)
    if (!host) return send(res, 403, 'text/plain', 'Forbidden host')
    const isApi = url.pathname.startsWith('/api/')
    const given = isApi ? explicitToken(req, url) : (explicitToken(req, url) ?? cookieToken(req, host))
    if (!sameToken(given, token)) return isApi ? sendError(res, 401, { code: 'unauthorized', message: UNAUTHORIZED }) : sendText(res, 401, UNAUTHORIZED)

    const media = /^\/media\/(full|thumb)\/(\d+)$/.exec(url.pathname)
    const download = /^\/download\/([A-Za-z0-9_-]+)(\/sidecar)?$/.exec(url.pathname)
    if (isApi || media || download) {
      const foreign = foreignPage(req, host)
      if (foreign) return isApi ? sendError(res, 403, { code: 'forbidden', message: foreign }) : sendText(res, 403, foreign)
    }
    if (isApi) return handleApi(options, maxBody, req, res, url)
    if (media && req.method === 'GET') return handleMedia(options, res, media[1] as MediaKind, Number(media[2]))
    if (download && (req.method === 'GET' || req.method === 'HEAD')) return sendDownload(res, findDownload(options, download[1], download[2] ? 'sidecar' : 'csv'), req.method === 'HEAD')

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed')
    const file = readStatic(options.rendererDir, url.pathname)
    if (!file) return sendText(res, 404, 'Not found')
    const setCookie = { 'Set-Cookie': `${cookieName(host)}=${token}; HttpOnly; SameSite=Strict; Path=/` }
    return send(res, 200, file.type, file.body, { ...setCookie, 'Content-Security-Policy': csp(host) })
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => sendError(res, 500, { code: 'internal', message: `Unexpected error: ${(e as Error).message}` }))
  })

  // The page never sends messages on the event socket: a small payload limit keeps it that way.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
      socket.destroy()
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const host = loopbackHost(req)
    if (!host) return refuse('403 Forbidden')
    if (url.pathname !== '/events' || !sameToken(explicitToken(req, url), token)) return refuse('401 Unauthorized')
    if (foreignPage(req, host)) return refuse('403 Forbidden')
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => sockets.emit('connection', ws, req))
  })
  const unsubscribe = options.events.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload })
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(message)
  })

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => ok())
  })
  const actualPort = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((ok) => {
        unsubscribe()
        for (const client of sockets.clients) client.terminate()
        sockets.close()
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}
