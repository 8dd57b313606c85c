import type { ServerResponse } from 'node:http'
import type { MediaKind } from '../catalogue/media'
import type { HeadlessOptions } from './server-options'
import { send, sendText } from './responses'

/** An image of the catalogue by id (GET /media/full|thumb|crop|proxy/<id>): what <img> tags load. */
export async function sendImage(
  res: ServerResponse,
  media: HeadlessOptions['media'],
  kind: MediaKind,
  id: number,
): Promise<void> {
  try {
    const m = await media(id, kind)
    return send(res, 200, m.mime, m.bytes, { 'Cache-Control': m.temporary ? 'no-store' : 'private, max-age=3600' })
  } catch (e) {
    return sendText(res, 404, (e as Error).message)
  }
}
