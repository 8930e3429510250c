import { expect } from 'chai';
import { validateFrameworkInfo, validateRole } from './framework-validation';

describe('validateFrameworkInfo', () => {
  const rows: Array<{ name: string; info: Record<string, unknown>; error: string | undefined }> = [
    { name: 'a week of failover_timeout', info: { failover_timeout: 604_800 }, error: undefined },
    { name: '30 days of failover_timeout (longer than one setTimeout)', info: { failover_timeout: 2_592_000 }, error: undefined },
    { name: 'a failover_timeout no Duration holds', info: { failover_timeout: 1e10 }, error: 'The framework failover_timeout (10000000000) is invalid' },
    { name: 'a negative failover_timeout', info: { failover_timeout: -1 }, error: "'FrameworkInfo.failover_timeout' must be a non-negative number of seconds" },
    { name: 'an invalid role', info: { role: 'a//b' }, error: "Role 'a//b' cannot contain two adjacent slashes" },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(validateFrameworkInfo({ user: 'u', name: 'n', ...row.info })).to.equal(row.error);
    });
  }
});

describe('validateRole (Mesos roles::validate)', () => {
  const rows: Array<[string, string | undefined]> = [
    ['*', undefined],
    ['eng/web', undefined],
    ['', 'Role names cannot be the empty string'],
    ['/a', "Role '/a' cannot start with a slash"],
    ['a/', "Role 'a/' cannot end with a slash"],
    ['a/*', "Role 'a/*' cannot include '*' as a component"],
    ['.', "Role '.' cannot include '.' as a component"],
    ['-a', "Role component '-a' is invalid because it starts with a dash"],
    ['a\tb', "Role component 'a\tb' is invalid because it contains backspace or whitespace"],
  ];
  for (const [role, error] of rows) {
    it(`'${role}' → ${error ?? 'valid'}`, () => expect(validateRole(role)).to.equal(error));
  }
});
