// The messages between the tabs and the stream hub worker (shared-event-source.ts).

export interface TabRequest {
  readonly kind: 'open' | 'listen' | 'close';
  /** The tab-side stream, so one tab can hold several. */
  readonly id: number;
  readonly url: string;
  readonly types: readonly string[];
}

export type HubMessage =
  | { readonly kind: 'state'; readonly url: string; readonly readyState: number; readonly failed: boolean }
  | { readonly kind: 'event'; readonly url: string; readonly type: string; readonly data: string };
