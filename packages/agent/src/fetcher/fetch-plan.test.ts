import { expect } from 'chai';
import { archiveKindOf, FetchPlanError, planFetch } from './fetch-plan';

describe('fetch plan', () => {
  it('names the file after the last path segment and detects archives by name', () => {
    const [item] = planFetch([{ value: 'http://h:8080/dist/app%20v1.tar.gz?token=x' }]);
    expect(item).to.deep.include({ outputPath: 'app v1.tar.gz', archive: 'tar.gz', executable: false });
    expect(item!.source).to.deep.equal({ kind: 'http', url: 'http://h:8080/dist/app%20v1.tar.gz?token=x' });
    for (const [name, kind] of [['a.tgz', 'tar.gz'], ['a.tar.bz2', 'tar.bz2'], ['a.tbz2', 'tar.bz2'], ['a.tar.xz', 'tar.xz'], ['a.txz', 'tar.xz'], ['a.tar', 'tar'], ['a.zip', 'zip'], ['a.json.gz', 'gz'], ['a.jar', undefined]] as const) {
      expect(archiveKindOf(name), name).to.equal(kind);
    }
  });

  it('never extracts an executable or a URI with extract: false, and keys the cache by user and URI', () => {
    const items = planFetch([
      { value: 'https://h/tool.tar', executable: true },
      { value: 'https://h/data.zip', extract: false, cache: true },
    ], { user: 'nobody' });
    expect(items[0]).to.deep.include({ executable: true });
    expect(items[0]!.archive).to.equal(undefined);
    expect(items[1]!.archive).to.equal(undefined);
    expect(items[1]!.cacheKey).to.equal('nobody\u0000https://h/data.zip');
    expect(items[0]!.cacheKey).to.equal(undefined);
  });

  it('takes file:// URIs, absolute paths, and relative paths below --frameworks_home', () => {
    expect(planFetch([{ value: 'file:///srv/a%20b.txt' }])[0]!.source).to.deep.equal({ kind: 'file', path: '/srv/a b.txt' });
    expect(planFetch([{ value: '/srv/x.tgz' }])[0]).to.deep.include({ outputPath: 'x.tgz', archive: 'tar.gz' });
    expect(planFetch([{ value: 'lib/x.jar' }], { frameworksHome: '/opt/fw/' })[0]!.source).to.deep.equal({ kind: 'file', path: '/opt/fw/lib/x.jar' });
  });

  it('puts output_file where it says, inside the sandbox only', () => {
    expect(planFetch([{ value: 'http://h/x', output_file: 'conf/app.tar.gz' }])[0]).to.deep.include({ outputPath: 'conf/app.tar.gz', archive: 'tar.gz' });
    for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'a//b', './x']) {
      expect(() => planFetch([{ value: 'http://h/x', output_file: bad }]), bad).to.throw(FetchPlanError, 'must be a relative path inside the sandbox');
    }
  });

  it('refuses what it cannot fetch, naming the URI', () => {
    const refused = (value: string, ctx = {}) => {
      try {
        planFetch([{ value: 'http://h/ok' }, { value }], ctx);
      } catch (err) {
        expect(err).to.be.instanceOf(FetchPlanError);
        return err as FetchPlanError;
      }
      throw new Error(`'${value}' was accepted`);
    };
    expect(refused('hdfs://nn/x.tgz').message).to.include("does not support 'hdfs://' URIs");
    expect(refused('hdfs://nn/x.tgz').uri).to.equal('hdfs://nn/x.tgz');
    expect(refused('relative/x.tgz').message).to.include('--frameworks_home');
    expect(refused('http://h/').message).to.include('has no file name');
    expect(refused('file://relative/x').message).to.include('absolute path');
  });
});
