// FrameworkInfo checks Mesos makes on SUBSCRIBE and UPDATE_FRAMEWORK (src/master/validation.cpp).
import type { FrameworkInfo } from '@tepui/protocol';

/** Mesos' roles::validate (src/common/roles.cpp), with its messages. */
export function validateRole(role: string): string | undefined {
  if (role === '*') return undefined;
  if (role.startsWith('/')) return `Role '${role}' cannot start with a slash`;
  if (role.endsWith('/')) return `Role '${role}' cannot end with a slash`;
  if (role.includes('//')) return `Role '${role}' cannot contain two adjacent slashes`;
  const components = role.split('/').filter((c) => c.length > 0);
  if (components.length === 0) return 'Role names cannot be the empty string';
  for (const component of components) {
    if (component === '.' || component === '..' || component === '*') return `Role '${role}' cannot include '${component}' as a component`;
    if (component.startsWith('-')) return `Role component '${component}' is invalid because it starts with a dash`;
    if (/[\t\n\v\f\r \x7f]/.test(component)) return `Role component '${component}' is invalid because it contains backspace or whitespace`;
  }
  return undefined;
}

/** The longest Duration stout holds: int64 nanoseconds (about 292 years). */
const MAX_DURATION_NS = 2 ** 63 - 1;

export function validateFrameworkInfo(info: FrameworkInfo): string | undefined {
  const multiRole = (info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  if (!multiRole && info.roles && info.roles.length > 0) {
    return "'FrameworkInfo.roles' is set but the framework lacks the MULTI_ROLE capability";
  }
  if (multiRole && info.role !== undefined) {
    return "'FrameworkInfo.role' must not be set when the framework has the MULTI_ROLE capability";
  }
  const roles = multiRole ? info.roles ?? [] : [info.role ?? '*'];
  if (new Set(roles).size !== roles.length) return "'FrameworkInfo.roles' contains duplicate entries";
  for (const role of roles) {
    const error = validateRole(role);
    if (error) return error;
  }
  if (info.failover_timeout !== undefined && !(info.failover_timeout >= 0)) {
    return "'FrameworkInfo.failover_timeout' must be a non-negative number of seconds";
  }
  // Mesos' validateFailoverTimeout: it must fit a Duration (int64 nanoseconds).
  if (info.failover_timeout !== undefined && info.failover_timeout * 1e9 > MAX_DURATION_NS) {
    return `The framework failover_timeout (${info.failover_timeout}) is invalid`;
  }
  if (info.id !== undefined && info.id.value.length === 0) return "'FrameworkInfo.id' must not be empty";
  return undefined;
}
