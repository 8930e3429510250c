// FrameworkInfo checks Mesos makes on SUBSCRIBE and UPDATE_FRAMEWORK (src/master/validation.cpp).
import type { FrameworkInfo } from '@tepui/protocol';

/** Mesos' roles::validate: a role is a `/`-separated path of non-empty, non-dot components. */
export function validateRole(role: string): string | undefined {
  if (role === '*') return undefined;
  if (role.length === 0) return 'Empty role name is invalid';
  if (role.startsWith('/') || role.endsWith('/')) return `Role '${role}' cannot start or end with '/'`;
  for (const part of role.split('/')) {
    if (part === '' || part === '.' || part === '..') return `Role '${role}' cannot include '.', '..' or empty components`;
    if (part.startsWith('-')) return `Role '${role}' cannot have a component starting with '-'`;
    if (/[\s\x00-\x1f\x7f]/.test(part)) return `Role '${role}' cannot include whitespace or control characters`;
    if (part === '*') return `Role '${role}' cannot include '*' as a component`;
  }
  return undefined;
}

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
  if (info.id !== undefined && info.id.value.length === 0) return "'FrameworkInfo.id' must not be empty";
  return undefined;
}
