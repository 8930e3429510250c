// Marathon's in-process event bus: publishers emit typed events, subscribers (the SSE stream,
// later the load balancer feed) get them in order. A subscriber more than `maxOutstanding`
// events behind is dropped, as Marathon disconnects slow event-stream clients.
import type { Clock, MarathonEvent } from '@tepui/protocol';

/** Marathon's --event_stream_max_outstanding_messages default. */
export const DEFAULT_MAX_OUTSTANDING = 1024;

export type EventInput = MarathonEvent extends infer E ? (E extends MarathonEvent ? Omit<E, 'timestamp'> : never) : never;

export interface EventSubscriber {
  /** Delivers one event; returns how many events this subscriber still has queued. */
  deliver(event: MarathonEvent, json: string): number;
  /** Called when the bus drops the subscriber for falling behind. */
  dropped(reason: string): void;
  /** Event types wanted; empty means all. */
  readonly eventTypes: ReadonlySet<string>;
}

export class EventBus {
  private readonly subscribers = new Set<EventSubscriber>();

  constructor(
    private readonly clock: Clock,
    private readonly maxOutstanding = DEFAULT_MAX_OUTSTANDING,
  ) {}

  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  publish(input: EventInput): MarathonEvent {
    const event = { ...input, timestamp: new Date(this.clock.now()).toISOString() } as MarathonEvent;
    if (this.subscribers.size === 0) return event;
    const json = JSON.stringify(event);
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.eventTypes.size > 0 && !subscriber.eventTypes.has(event.eventType)) continue;
      const outstanding = subscriber.deliver(event, json);
      if (outstanding > this.maxOutstanding) {
        this.subscribers.delete(subscriber);
        subscriber.dropped(`more than ${this.maxOutstanding} events behind`);
      }
    }
    return event;
  }
}
