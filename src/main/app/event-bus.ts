import { EventEmitter } from 'node:events'
import type { EventName, EventPayload } from '../../shared/contract'

/** Main's typed event bus: services publish, transports forward every event to their UIs. */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(100)
  }

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload)
    this.emitter.emit(`only:${event}`, payload)
  }

  /** Every event, for transports. Returns the unsubscribe function. */
  subscribe(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void {
    this.emitter.on('event', listener)
    return () => this.emitter.off('event', listener)
  }

  /** One kind of event, for a caller that follows it (the CLI's progress bars). Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(`only:${event}`, listener)
    return () => this.emitter.off(`only:${event}`, listener)
  }
}
