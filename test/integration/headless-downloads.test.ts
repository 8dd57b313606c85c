import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportResult } from '../../src/shared/contract'
import { findDownload } from '../../src/main/export/exports-service'
import { startHeadlessServer, type HeadlessServer } from '../../src/main/server/http-server'
import { seedCatalogue } from '../helpers/catalogue-fixture'
import { rawRequest } from '../helpers/http'
import { testWorkbench } from '../helpers/workbench'

// Headless mode's downloads: exports.create writes into the workspace, GET /download/<id> streams it
// to the browser as an attachment, behind the same token as everything else.

let wb: ReturnType<typeof testWorkbench>
let server: HeadlessServer
let created: ExportResult

const auth = () => ({ Authorization: `Bearer ${server.token}` })
/** What the page sends with every API call. */
const api = () => ({ ...auth(), 'Content-Type': 'application/json' })

beforeAll(async () => {
  wb = testWorkbench()
  seedCatalogue(wb.ctx.requireWorkspace().db, [
    { name: 'faces', classCodes: ['happy'], images: [{ path: 'a.png', labels: { happy: 1 } }, { path: 'b.png' }] },
  ])
  const renderer = join(wb.dir, 'renderer')
  mkdirSync(renderer, { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Affect Workbench</title>')
  server = await startHeadlessServer({
    router: wb.router,
    events: wb.ctx.events,
    rendererDir: renderer,
    media: wb.media,
    download: (id, part) => findDownload(wb.ctx.requireWorkspace(), id, part),
  })
  const response = await rawRequest(server.port, '/api/exports.create', {
    method: 'POST',
    headers: api(),
    body: JSON.stringify({ kind: 'labels' }),
  })
  created = JSON.parse(response.body).value
})
afterAll(async () => {
  await server.close()
  wb.cleanup()
})

describe('headless downloads', () => {
  it('refuses a download without the token', async () => {
    expect((await rawRequest(server.port, `/download/${created.id}`)).status).toBe(401)
    expect((await rawRequest(server.port, `/download/${created.id}?token=wrong`)).status).toBe(401)
  })

  it('streams the CSV as an attachment named like the export', async () => {
    const response = await rawRequest(server.port, `/download/${created.id}`, { headers: auth() })
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${created.fileName}"; filename*=UTF-8''${created.fileName}`,
    )
    expect(response.body).toBe(readFileSync(created.file, 'utf8'))
    expect(response.body.trim().split('\n')).toEqual([
      'image_id,path,dataset,split,review_status,source_path,face_index,face_x,face_y,face_width,face_height,face_score,happy',
      '1,a.png,faces,train,to_review,a.png,0,0,0,48,48,,1',
      '2,b.png,faces,train,to_review,b.png,0,0,0,48,48,,',
    ])
  })

  it('serves the sidecar description beside it, and HEAD without a body', async () => {
    const sidecar = await rawRequest(server.port, `/download/${created.id}/sidecar`, { headers: auth() })
    expect(sidecar.status).toBe(200)
    expect(JSON.parse(sidecar.body).kind).toBe('affect-workbench labels')
    const head = await rawRequest(server.port, `/download/${created.id}`, { method: 'HEAD', headers: auth() })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
    expect(Number(head.headers['content-length'])).toBe(created.bytes)
  })

  it('answers 404 for an id that is not an export, however it is spelled', async () => {
    for (const path of [
      '/download/AAAAAAAAAAAAAAAAAAAAAAAA',
      '/download/..%2Fcatalogue.sqlite',
      '/download/../catalogue.sqlite',
      `/download/${created.id}/..%2F..%2Fcatalogue.sqlite`,
      '/download/',
    ]) {
      const response = await rawRequest(server.port, path, { headers: auth() })
      expect(response.status, path).toBe(404)
      expect(response.body, path).not.toContain('SQLite')
    }
  })

  it('POST to a download is not allowed', async () => {
    expect((await rawRequest(server.port, `/download/${created.id}`, { method: 'POST', headers: auth() })).status).toBe(
      405,
    )
  })
})
