import type { ServerResponse } from 'node:http'
import type { ErrorData } from '../../shared/errors'

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  res.end(body)
}

export const sendText = (res: ServerResponse, status: number, text: string): void =>
  send(res, status, 'text/plain; charset=utf-8', text)

export const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value))

/** An error as the API answers it: `{ok: false, error}` with the HTTP status that fits. */
export const sendError = (res: ServerResponse, status: number, error: ErrorData): void =>
  sendJson(res, status, { ok: false, error })
