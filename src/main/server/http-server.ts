import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { newToken } from './auth'
import { callerOfToken } from './callers'
import { attachEventSocket } from './event-socket'
import { MAX_BODY_BYTES } from './request-body'
import { sendError } from './responses'
import { answerRequest, type ServerSettings } from './routes'
import type { HeadlessOptions, HeadlessServer } from './server-options'

export type { Download } from './downloads'
export type { HeadlessOptions, HeadlessServer } from './server-options'

/**
 * Headless mode: the renderer build and the API over HTTP (POST /api/<method>) with events over a
 * WebSocket (/events), on 127.0.0.1 only, every request checked against a random token and, from a
 * browser, against the page it comes from (routes.ts says what is answered and how).
 */
export async function startHeadlessServer(options: HeadlessOptions, port = 0): Promise<HeadlessServer> {
  const settings: ServerSettings = {
    options,
    token: options.token ?? newToken(),
    maxBody: options.maxBody ?? MAX_BODY_BYTES,
  }
  const server: Server = createServer((req, res) => {
    answerRequest(settings, req, res).catch((e) =>
      sendError(res, 500, { code: 'internal', message: `Unexpected error: ${(e as Error).message}` }),
    )
  })
  const closeEvents = attachEventSocket(
    server,
    options.events,
    (given) => !('refused' in callerOfToken(given, settings.token, options.lab)),
  )

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => ok())
  })
  const actualPort = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${settings.token}`,
    port: actualPort,
    token: settings.token,
    close: () =>
      new Promise<void>((ok) => {
        closeEvents()
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}
