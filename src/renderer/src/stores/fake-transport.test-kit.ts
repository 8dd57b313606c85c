import type { EventName, EventPayload, MethodName } from '@shared/contract'
import { setTransport, type Transport } from '../api/transport'

/** A transport for store tests: answers calls from `answers`, records them, and emits events on demand. */
export function fakeTransport(kind: Transport['kind'], answers: Partial<Record<MethodName, (args: never) => unknown>>) {
  const calls: { method: string; args: unknown }[] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const transport: Transport = {
    kind,
    async invoke(method, args) {
      calls.push({ method, args })
      const answer = answers[method as MethodName]
      if (!answer) return { ok: false, error: { code: 'unknown_method', message: `no answer for ${method}` } }
      try {
        return { ok: true, value: await answer(args as never) }
      } catch (e) {
        return { ok: false, error: { code: 'conflict', message: (e as Error).message } }
      }
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event)!.add(callback)
      return () => listeners.get(event)?.delete(callback)
    },
    mediaUrl: (id, k) => `/media/${k}/${id}`,
  }
  setTransport(transport)
  return {
    calls,
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      listeners.get(event)?.forEach((cb) => cb(payload))
    },
  }
}
