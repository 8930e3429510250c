// The Runtime API commands of each planned change (HAProxy 2.6 management guide, `set server`).
import { freeSlotArguments } from '../config';
import {
  addServerCommand, enableHealthCommand, setServerAddressCommand, setServerHealthCommand, setServerStateCommand, setServerWeightCommand,
} from '../haproxy/runtime-commands';
import { slotName } from '../model/layout';
import type { RuntimeChange } from './sync-plan';

export function runtimeCommands(changes: readonly RuntimeChange[]): string[] {
  return changes.flatMap((change) => {
    const backend = change.backend;
    const server = slotName(change.slot);
    switch (change.kind) {
      case 'fill': {
        const { ip, port, draining } = change.endpoint;
        return [
          setServerAddressCommand(backend, server, { ip, port }),
          // A slot rendered while draining carries weight 0; a filled slot takes its share again.
          setServerWeightCommand(backend, server, 1),
          // Marathon has already found it healthy: fully up at once, not one failed check from down.
          ...(change.checked ? [setServerHealthCommand(backend, server, 'up')] : []),
          setServerStateCommand(backend, server, draining ? 'drain' : 'ready'),
        ];
      }
      case 'drain':
        return [setServerStateCommand(backend, server, 'drain')];
      case 'free':
        return [setServerStateCommand(backend, server, 'maint')];
      case 'add':
        // As the slot would be rendered free; its checks, off until enabled, then run once it is filled.
        return [
          addServerCommand(backend, server, freeSlotArguments(change.service, change.slot)),
          ...(change.service.healthCheck !== undefined ? [enableHealthCommand(backend, server)] : []),
        ];
    }
  });
}
