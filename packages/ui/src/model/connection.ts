// The event stream's state as the banner shows it. A page reads everything, follows the stream and
// patches itself. It reads everything again when the stream opens after a drop (events were
// missed), and on the first open if it read anything before: that read may have been answered
// before Marathon subscribed the page, and a change made in between would never show.
export type Connection =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  | { readonly kind: 'lost'; readonly since: number }
  | { readonly kind: 'restored'; readonly at: number };

export interface ConnectionChange {
  readonly connection: Connection;
  /** Read everything again: events may have been missed while the stream was down. */
  readonly reload: boolean;
}

/** How long "back online" stays on screen. */
export const RESTORED_BANNER_MS = 5_000;

export function streamOpened(current: Connection, now: number, readBeforeOpen: boolean): ConnectionChange {
  if (current.kind === 'lost') return { connection: { kind: 'restored', at: now }, reload: true };
  return { connection: current.kind === 'restored' ? current : { kind: 'live' }, reload: current.kind === 'connecting' && readBeforeOpen };
}

export function streamFailed(current: Connection, now: number): ConnectionChange {
  if (current.kind === 'lost') return { connection: current, reload: false };
  return { connection: { kind: 'lost', since: now }, reload: false };
}

/** The banner's "back" message goes away after a while. */
export function connectionAt(current: Connection, now: number): Connection {
  return current.kind === 'restored' && now - current.at >= RESTORED_BANNER_MS ? { kind: 'live' } : current;
}

export function bannerText(connection: Connection): string | undefined {
  switch (connection.kind) {
    case 'lost': return 'Connection to Marathon lost — reconnecting…';
    case 'restored': return 'Connection to Marathon is back; the page was reloaded.';
    default: return undefined;
  }
}
