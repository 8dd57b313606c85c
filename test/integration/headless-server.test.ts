import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { rawRequest } from '../helpers/http'
import { testWorkbench } from '../helpers/workbench'

let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer
let renderer: string

beforeAll(async () => {
  wb = testWorkbench()
  // A renderer build next to a file that must never be served.
  renderer = join(wb.dir, 'site', 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(wb.dir, 'site', 'secret.txt'), 'SECRET')
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
  })
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

const auth = () => ({ Authorization: `Bearer ${server.token}` })
/** What the page sends with every API call. */
const api = () => ({ ...auth(), 'Content-Type': 'application/json' })

describe('headless server', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token.length).toBeGreaterThanOrEqual(32)
  })

  it('answers 401 to any request without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/media/thumb/1'])
      expect((await rawRequest(server.port, path)).status).toBe(401)
    expect((await rawRequest(server.port, '/api/app.info', { method: 'POST', body: '{}' })).status).toBe(401)
    expect((await rawRequest(server.port, '/?token=wrong')).status).toBe(401)
  })

  it('serves the app with the token and sets a cookie so its assets load', async () => {
    const page = await rawRequest(server.port, `/?token=${server.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('Affect Workbench')
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    const cookie = String(page.headers['set-cookie']).split(';')[0]
    expect((await rawRequest(server.port, '/assets/app.js', { headers: { Cookie: cookie } })).body).toBe(
      'console.log(1)',
    )
  })

  it('serves no file outside the renderer build, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/..%5csecret.txt',
      '/assets%5c..%5c..%5csecret.txt',
      '//etc/passwd',
      '/%00index.html',
      `/${'%2e%2e/'.repeat(8)}etc/passwd`,
    ]
    for (const path of attempts) {
      const response = await rawRequest(server.port, path, { headers: auth() })
      expect(response.body, path).not.toContain('SECRET')
      expect(response.body, path).not.toContain('root:')
      expect([400, 404], path).toContain(response.status)
    }
  })

  it('answers API calls through the router, errors as data', async () => {
    const info = await rawRequest(server.port, '/api/app.info', { method: 'POST', headers: api(), body: '{}' })
    expect(info.status).toBe(200)
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { name: 'Affect Workbench', transport: 'cli' } })
    const bad = await rawRequest(server.port, '/api/images.page', {
      method: 'POST',
      headers: api(),
      body: '{"limit":-1}',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } })
    const notJson = await rawRequest(server.port, '/api/app.info', { method: 'POST', headers: api(), body: '{' })
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/)
  })

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    expect(
      (await rawRequest(server.port, `/?token=${server.token}`, { headers: { Host: 'evil.example:80' } })).status,
    ).toBe(403)
  })

  it('pushes events over the WebSocket only with the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/events`)
    await expect(
      new Promise((ok, fail) => {
        refused.on('open', ok)
        refused.on('error', fail)
      }),
    ).rejects.toThrow(/401/)

    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`)
    await new Promise((ok) => socket.on('open', ok))
    const received = new Promise<unknown>((ok) => socket.on('message', (data) => ok(JSON.parse(String(data)))))
    await rawRequest(server.port, '/api/app.setAnnotator', {
      method: 'POST',
      headers: api(),
      body: '{"annotator":"ana"}',
    })
    await rawRequest(server.port, '/api/workspace.close', { method: 'POST', headers: api(), body: '{}' })
    expect(await received).toEqual({ event: 'workspace.changed', payload: { workspace: null } })
    socket.close()
  })
})
