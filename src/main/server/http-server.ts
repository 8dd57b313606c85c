import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ErrorData } from '../../shared/errors'
import type { EventBus } from '../events/event-bus'
import type { Router } from '../router'
import type { Media, MediaKind } from '../catalogue/media'
import { resolveStatic, staticFile } from './static-files'

export interface HeadlessOptions {
  router: Router
  events: EventBus
  /** The renderer build (out/renderer). Nothing outside it is served. */
  rendererDir: string
  /** Image bytes by id, for <img> tags that cannot send headers. */
  media: (id: number, kind: MediaKind) => Promise<Media>
  token?: string
  /** Largest request body accepted (bytes). */
  maxBody?: number
  /** A workspace export by its opaque id (exports.create), for GET /download/<id>[/sidecar]; null when there is none. */
  download?: (id: string, part: 'csv' | 'sidecar') => Download | null
}

/** A file the browser downloads: where it is, the name it is saved as, its type. */
export interface Download { file: string; name: string; type: string }

export interface HeadlessServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const COOKIE = 'affect_token'
const STATUS: Partial<Record<ErrorData['code'], number>> = {
  invalid_arguments: 400, unknown_method: 404, not_found: 404, unauthorized: 401, conflict: 409, no_workspace: 409, workspace_exists: 409,
  workspace_not_found: 404, database_too_new: 409, internal: 500,
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=')
    if (k === COOKIE) return v ?? null
  }
  return null
}

/** The token from the query (first visit), the Authorization header (API) or the cookie set on the first visit. */
function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7)
  return url.searchParams.get('token') ?? cookieToken(req)
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers })
  res.end(body)
}

const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))

/** attachment; filename="plain" plus the UTF-8 form (RFC 6266), so any file name survives. */
const contentDisposition = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`

/** Streams a download (exports can be large) with the headers that make the browser save it. */
function sendDownload(res: ServerResponse, download: Download, head: boolean): void {
  const size = statSync(download.file).size
  res.writeHead(200, { 'Content-Type': download.type, 'Content-Length': String(size), 'Content-Disposition': contentDisposition(download.name), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
  if (head) return void res.end()
  const stream = createReadStream(download.file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Headless mode: the renderer build and the API over HTTP (POST /api/<method>) with events over a
 * WebSocket (/events), on 127.0.0.1 only, every request checked against a random token.
 */
export async function startHeadlessServer(options: HeadlessOptions, port = 0): Promise<HeadlessServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const maxBody = options.maxBody ?? 256 * 1024 * 1024
  let actualPort = port

  const csp = () =>
    `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${actualPort} ws://localhost:${actualPort}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // A page on another site cannot reach us through a rebound DNS name: only our own host names.
    const host = req.headers.host ?? ''
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) return send(res, 403, 'text/plain', 'Forbidden host')
    const given = requestToken(req, url)
    if (!sameToken(given, token)) return send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized: open the URL with ?token=... that `affect serve` printed.')
    const setCookie = { 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid_arguments', message: 'Use POST for API calls.' } })
      let args: unknown
      try {
        const body = await readBody(req, maxBody)
        args = body ? JSON.parse(body) : {}
      } catch (e) {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_arguments', message: `The request body is not valid JSON: ${(e as Error).message}` } })
      }
      const result = await options.router.call(decodeURIComponent(url.pathname.slice(5)), args)
      return sendJson(res, result.ok ? 200 : (STATUS[result.error.code] ?? 400), result)
    }

    const media = /^\/media\/(full|thumb)\/(\d+)$/.exec(url.pathname)
    if (media && req.method === 'GET') {
      try {
        const m = await options.media(Number(media[2]), media[1] as MediaKind)
        return send(res, 200, m.mime, m.bytes, { 'Cache-Control': 'private, max-age=3600' })
      } catch (e) {
        return send(res, 404, 'text/plain; charset=utf-8', (e as Error).message)
      }
    }

    const download = /^\/download\/([A-Za-z0-9_-]+)(\/sidecar)?$/.exec(url.pathname)
    if (download && (req.method === 'GET' || req.method === 'HEAD')) {
      let found: Download | null = null
      try {
        found = options.download?.(download[1], download[2] ? 'sidecar' : 'csv') ?? null
      } catch {
        found = null
      }
      if (!found) return send(res, 404, 'text/plain; charset=utf-8', 'No export with this id: create it again from the Export view.')
      return sendDownload(res, found, req.method === 'HEAD')
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed')
    const file = resolveStatic(options.rendererDir, url.pathname)
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found')
    const { type, body } = staticFile(file)
    return send(res, 200, type, body, { ...setCookie, 'Content-Security-Policy': csp() })
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => sendJson(res, 500, { ok: false, error: { code: 'internal', message: `Unexpected error: ${(e as Error).message}` } }))
  })

  const sockets = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/events' || !sameToken(requestToken(req, url), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n')
      socket.destroy()
      return
    }
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
  actualPort = (server.address() as AddressInfo).port
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
