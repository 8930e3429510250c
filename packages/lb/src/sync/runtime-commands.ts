// The Runtime API commands of each planned change (HAProxy 2.6 management guide, `set server`).
import { slotName } from '../model/layout';
import type { RuntimeChange } from './sync-plan';

export function runtimeCommands(changes: readonly RuntimeChange[]): string[] {
  return changes.flatMap((change) => {
    const server = `${change.backend}/${slotName(change.slot)}`;
    switch (change.kind) {
      case 'fill': {
        const { ip, port, draining } = change.endpoint;
        return [
          `set server ${server} addr ${ip} port ${port}`,
          // A slot rendered while draining carries weight 0; a filled slot takes its share again.
          `set server ${server} weight 1`,
          // Marathon has already found it healthy (or it has no checks): take traffic at once
          // instead of waiting for HAProxy's own checks to rise.
          ...(change.checked ? [`set server ${server} health up`] : []),
          `set server ${server} state ${draining ? 'drain' : 'ready'}`,
        ];
      }
      case 'drain':
        return [`set server ${server} state drain`];
      case 'free':
        return [`set server ${server} state maint`];
    }
  });
}
