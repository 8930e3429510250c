import { expect } from 'chai';
import { parseZkUrl, redactZkUrl, zkChild, ZkUrlError } from './zk-url';

describe('parseZkUrl', () => {
  it('reads hosts and the path, as Mesos does', () => {
    expect(parseZkUrl('zk://10.0.0.1:2181,10.0.0.2:2181/mesos')).to.deep.equal({ servers: '10.0.0.1:2181,10.0.0.2:2181', path: '/mesos' });
    expect(parseZkUrl('zk://localhost:2181')).to.deep.equal({ servers: 'localhost:2181', path: '/' });
    expect(parseZkUrl('zk://h:1/a/b/')).to.deep.equal({ servers: 'h:1', path: '/a/b' });
  });

  it('takes user:password@ as digest credentials', () => {
    expect(parseZkUrl('zk://ops:s3cret@h:2181/mesos')).to.deep.equal({ servers: 'h:2181', path: '/mesos', digest: 'ops:s3cret' });
  });

  it('reads a file:// URL from the file it names', () => {
    const files: Record<string, string> = { '/etc/zk': 'zk://h:2181/marathon\n' };
    expect(parseZkUrl('file:///etc/zk', (p) => files[p] ?? '')).to.deep.equal({ servers: 'h:2181', path: '/marathon' });
  });

  it('refuses malformed URLs, naming the problem and hiding the password', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://h:2181/mesos', /Expected a ZooKeeper URL/],
      ['zk:///mesos', /names no server/],
      ['zk://h/mesos', /server 'h' .* is not host:port/],
      ['zk://h:99999/mesos', /is not host:port/],
      ['zk://h:1,/mesos', /server '' /],
      ['zk://h:1/a//b', /not a valid znode path/],
      ['zk://user@h:1/a', /must be 'user:password@'/],
      ['file://relative', /absolute path/],
    ];
    for (const [url, message] of cases) {
      expect(() => parseZkUrl(url), url).to.throw(ZkUrlError, message);
    }
    expect(() => parseZkUrl('zk://u:pw@h/x')).to.throw(ZkUrlError).with.property('message').that.does.not.include('pw');
    expect(() => parseZkUrl('file:///missing', () => { throw new Error('ENOENT'); })).to.throw(ZkUrlError, /Cannot read .*'\/missing': ENOENT/);
  });

  it('redacts credentials and derives child paths', () => {
    expect(redactZkUrl('zk://u:pw@h:1/m')).to.equal('zk://u:********@h:1/m');
    expect(zkChild(parseZkUrl('zk://h:1/marathon'), 'leader').path).to.equal('/marathon/leader');
    expect(zkChild(parseZkUrl('zk://h:1'), 'leader').path).to.equal('/leader');
  });
});
