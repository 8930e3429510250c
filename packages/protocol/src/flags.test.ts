import { expect } from 'chai';
import { FlagError, parseFlagArgv } from './flags';

describe('parseFlagArgv', () => {
  const known = new Set(['port', 'work_dir', 'checkpoint']);
  it('reads --name=value, --name value, bare --name and --no-name', () => {
    expect([...parseFlagArgv(['--port=5050', '--work_dir', '/tmp/x', '--checkpoint'], known)]).to.deep.equal([['port', '5050'], ['work_dir', '/tmp/x'], ['checkpoint', 'true']]);
    expect(parseFlagArgv(['--no-checkpoint'], known).get('checkpoint')).to.equal('false');
  });
  it('rejects unknown flags and stray arguments', () => {
    expect(() => parseFlagArgv(['--nope=1'], known)).to.throw(FlagError, /unknown flag 'nope'/);
    expect(() => parseFlagArgv(['5050'], known)).to.throw(FlagError, /Unexpected argument/);
  });
});
