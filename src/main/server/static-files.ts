import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { FileRefused, readContainedFile } from '../files/contained-file'
import { tokenCookie } from './auth'
import { send, sendText } from './responses'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
}

/**
 * Resolves a request path to a file inside `root`, or null. Decodes once and refuses anything that
 * could leave the root: `..` segments (plain or percent-encoded), backslashes, NUL bytes, absolute paths.
 */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  if (decoded.split('/').some((segment) => segment === '..')) return null
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const base = resolve(root)
  const file = resolve(join(base, rel))
  const inside = relative(base, file)
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return null
  return file
}

/** A file of the renderer build for a request path; null when there is none (or it is a link leading out, a folder, a device). */
export function readStatic(root: string, urlPath: string): { type: string; body: Buffer } | null {
  const file = resolveStatic(root, urlPath)
  if (!file) return null
  try {
    return {
      type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      body: readContainedFile(file, root),
    }
  } catch (e) {
    if (e instanceof FileRefused) return null
    throw e
  }
}

/** The page's Content-Security-Policy; connect-src names the event socket as the page reaches it (through an SSH tunnel: its local port). */
const contentSecurityPolicy = (host: string): string =>
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://${host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`

/** A file of the renderer build (GET or HEAD), with the cookie that lets the page's tags carry the token. */
export function sendRendererFile(
  res: ServerResponse,
  req: IncomingMessage,
  page: { rendererDir: string; url: URL; host: string; token: string },
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed')
  const file = readStatic(page.rendererDir, page.url.pathname)
  if (!file) return sendText(res, 404, 'Not found')
  return send(res, 200, file.type, file.body, {
    ...tokenCookie(page.host, page.token),
    'Content-Security-Policy': contentSecurityPolicy(page.host),
  })
}
