// `show servers state` parsed into typed rows. The answer is HAProxy's server-state file format:
// a version line ("1"), a `# ` header naming the columns, then one space-separated row per server.
// Columns are found by their header names, so a HAProxy that adds columns does not shift ours.

/** HAProxy's `enum srv_state` (srv_op_state). */
export type ServerOperationalState = 'stopped' | 'starting' | 'running' | 'stopping';

const OPERATIONAL_STATES: readonly ServerOperationalState[] = ['stopped', 'starting', 'running', 'stopping'];

/** srv_admin_state bits (HAProxy's SRV_ADMF_*). */
export const ADMIN_FLAGS = {
  /** `set server … state maint` (forced). */
  FMAINT: 0x01,
  /** Inherited from a tracked server. */
  IMAINT: 0x02,
  /**
   * `disabled` in the configuration. HAProxy keeps this bit after `state ready` (it is how the
   * state file remembers the configured value), so it alone does not mean "in maintenance".
   */
  CMAINT: 0x04,
  /** `set server … state drain` (forced). */
  FDRAIN: 0x08,
  IDRAIN: 0x10,
  /** Configured drain (weight 0 in the configuration). Kept like CMAINT. */
  CDRAIN: 0x20,
  /** Its FQDN failed to resolve. */
  RMAINT: 0x40,
  /** Maintenance forced by a failed health check of a `disable-on-404` style rule. */
  HMAINT: 0x80,
} as const;

export interface ServerStateRow {
  readonly backendId: number;
  readonly backend: string;
  readonly serverId: number;
  readonly server: string;
  readonly addr: string;
  readonly port: number;
  readonly operationalState: ServerOperationalState;
  /** Raw srv_admin_state; see ADMIN_FLAGS. */
  readonly adminFlags: number;
  /** Held out of service now (forced, inherited, resolution or check maintenance). */
  readonly inMaintenance: boolean;
  /** Forced or inherited drain: open sessions continue, new ones go elsewhere. */
  readonly draining: boolean;
  readonly userWeight: number;
  readonly initialWeight: number;
  /** srv_check_health: the rise/fall counter of the check, 0 when checks are off. */
  readonly checkHealth: number;
  /** srv_check_state: check flags (0 = no check configured). */
  readonly checkState: number;
}

const RUNNING_MAINTENANCE = ADMIN_FLAGS.FMAINT | ADMIN_FLAGS.IMAINT | ADMIN_FLAGS.RMAINT | ADMIN_FLAGS.HMAINT;
const RUNNING_DRAIN = ADMIN_FLAGS.FDRAIN | ADMIN_FLAGS.IDRAIN;

export function parseServersState(text: string): ServerStateRow[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const headerLine = lines.find((line) => line.startsWith('#'));
  if (headerLine === undefined) return [];
  const columns = headerLine.slice(1).trim().split(/\s+/);
  const rows: ServerStateRow[] = [];
  for (const line of lines) {
    if (line.startsWith('#') || !line.includes(' ')) continue; // the header, the version line
    const values = line.trim().split(/\s+/);
    const field = (name: string): string => values[columns.indexOf(name)] ?? '';
    const number = (name: string): number => Number.parseInt(field(name), 10);
    const adminFlags = number('srv_admin_state');
    rows.push({
      backendId: number('be_id'),
      backend: field('be_name'),
      serverId: number('srv_id'),
      server: field('srv_name'),
      addr: field('srv_addr'),
      port: number('srv_port'),
      operationalState: OPERATIONAL_STATES[number('srv_op_state')] ?? 'stopped',
      adminFlags,
      inMaintenance: (adminFlags & RUNNING_MAINTENANCE) !== 0,
      draining: (adminFlags & RUNNING_DRAIN) !== 0,
      userWeight: number('srv_uweight'),
      initialWeight: number('srv_iweight'),
      checkHealth: number('srv_check_health'),
      checkState: number('srv_check_state'),
    });
  }
  return rows;
}
