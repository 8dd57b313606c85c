import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { labAuth } from '../../src/main/coders/lab-auth'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { rawRequest } from '../helpers/http'
import { testWorkbench } from '../helpers/workbench'

// A lab server (`affect serve --lab`): the server's token is the admin's link, each coder has a
// personal link. Checked over HTTP: no link 401, a revoked link 401, a coder calling an admin
// method 403, a coder naming someone else 403, a coder reading another's blind codes: nothing to read.

let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer
let imageId: number

interface Answer<T> {
  ok: boolean
  value: T
  error: { code: string; message: string }
}

const api = <T = unknown>(token: string, method: string, args: unknown) =>
  rawRequest(server.port, `/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  }).then((r) => ({ status: r.status, body: JSON.parse(r.body) as Answer<T> }))

beforeAll(async () => {
  wb = testWorkbench()
  ;[imageId] = seedCatalogue(wb.ctx.requireWorkspace().db, [
    { name: 'faces', classCodes: ['happy', 'AU12'], images: [{ path: 'a.png' }, { path: 'b.png' }] },
  ])
  const renderer = join(wb.dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
    lab: labAuth(wb.ctx, 'Lab Admin'),
  })
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

describe('lab mode authorisation', () => {
  it('admin creates coders and an assignment; each coder codes as themself, blind, and cannot act as admin or as another', async () => {
    const admin = server.token
    const ana = await api<{ token: string }>(admin, 'coders.create', { name: 'Ana' })
    const ben = await api<{ token: string }>(admin, 'coders.create', { name: 'Ben' })
    expect(ana.status).toBe(200)
    const anaToken: string = ana.body.value.token
    const benToken: string = ben.body.value.token
    expect(
      (await api(admin, 'assignments.create', { dataset: 'faces', coders: ['Ana', 'Ben'], images: 2 })).status,
    ).toBe(200)

    expect((await api('not-a-token', 'queue.get', {})).status).toBe(401)
    expect((await api(anaToken, 'session.get', {})).body.value).toEqual({ lab: true, name: 'Ana', role: 'coder' })
    const forbidden = await api(anaToken, 'coders.create', { name: 'Eve' })
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.error.code).toBe('forbidden')
    expect((await api(anaToken, 'labels.edit', { changes: [{ imageId, code: 'AU12', value: 1 }] })).status).toBe(403)
    expect((await api(anaToken, 'images.get', { id: imageId })).status).toBe(403)
    const impersonation = await api(anaToken, 'codings.save', {
      imageId,
      coder: 'Ben',
      changes: [{ code: 'AU12', value: 1 }],
    })
    expect(impersonation.status).toBe(403)

    expect((await api(anaToken, 'codings.save', { imageId, changes: [{ code: 'AU12', value: 1 }] })).status).toBe(200)
    const benView = await api(benToken, 'codings.image', { imageId })
    expect(benView.body.value).toMatchObject({
      coder: 'Ben',
      blind: true,
      others: {},
      consensus: [],
      predictions: null,
    })
    expect(JSON.stringify(benView.body.value)).not.toContain('Ana')
    const committed = await api<{ others: unknown }>(benToken, 'codings.commit', { imageId })
    expect(committed.body.value.others).toMatchObject({ Ana: [{ code: 'AU12', value: 1 }] })
    const coders = wb.ctx
      .requireWorkspace()
      .db.prepare('SELECT c.name FROM coding_events e JOIN coders c ON c.id = e.coder_id')
      .pluck()
      .all()
    expect(coders).toEqual(['Ana'])
  })

  it('refuses a revoked link at once, for the API, the page and the event socket', async () => {
    const created = await api<{ token: string }>(server.token, 'coders.create', { name: 'Cleo' })
    const token: string = created.body.value.token
    expect((await api(token, 'queue.get', {})).status).toBe(200)
    expect((await api(server.token, 'coders.revoke', { name: 'Cleo' })).status).toBe(200)
    const refused = await api(token, 'queue.get', {})
    expect(refused.status).toBe(401)
    expect(refused.body.error.message).toContain('revoked')
    expect((await rawRequest(server.port, `/?token=${token}`)).status).toBe(401)
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${token}`)
    const status = await new Promise<number>((resolve) =>
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    )
    expect(status).toBe(401)
  })

  it("sets the page's cookie to the coder's own token, so their images load as them", async () => {
    const created = await api<{ token: string }>(server.token, 'coders.create', { name: 'Dan' })
    const page = await rawRequest(server.port, `/?token=${created.body.value.token}`)
    expect(page.status).toBe(200)
    expect(String(page.headers['set-cookie'])).toContain(created.body.value.token)
  })
})
