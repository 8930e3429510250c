// The client against fake Marathons: URL order, failover, redirects, 503s, hangs, bad answers.
import { expect } from 'chai';
import { MarathonClient, parseAppList } from './marathon-client';
import { MarathonBadResponse, NoMarathonAvailable } from './marathon-errors';
import { appJson, taskJson } from './testing/fixtures';
import { FakeMarathon } from './testing/fake-marathon';

/** A URL nothing listens on (a fake that was started and closed). */
async function deadUrl(): Promise<string> {
  const fake = await FakeMarathon.start();
  await fake.close();
  return fake.url;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('MarathonClient', () => {
  let a: FakeMarathon;
  let b: FakeMarathon;
  beforeEach(async () => {
    a = await FakeMarathon.start();
    b = await FakeMarathon.start();
    a.apps = [appJson('/a', [taskJson('/a', 1)])];
    b.apps = [appJson('/b')];
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  it('lists apps with their tasks from the first URL', async () => {
    const client = new MarathonClient({ urls: [`${a.url}/`, b.url] });
    const apps = await client.listApps();
    expect(apps.map((x) => x.id)).to.deep.equal(['/a']);
    expect(apps[0]!.tasks!.map((t) => t.id)).to.deep.equal([taskJson('/a', 1).id]);
    expect(client.urls).to.deep.equal([a.url, b.url]);
    expect(b.listRequests).to.equal(0);
  });

  it('fails over from a dead first URL, and the one that answered moves to the front', async () => {
    const dead = await deadUrl();
    const client = new MarathonClient({ urls: [dead, b.url] });
    expect((await client.listApps()).map((x) => x.id)).to.deep.equal(['/b']);
    expect(client.urls).to.deep.equal([b.url, dead]);
  });

  it('takes a 503 (no leader known) as a failure and tries the next URL', async () => {
    a.failStatus = 503;
    const client = new MarathonClient({ urls: [a.url, b.url] });
    expect((await client.listApps()).map((x) => x.id)).to.deep.equal(['/b']);
  });

  it('follows a standby’s 307 to the leader', async () => {
    a.redirectTo = b.url;
    const client = new MarathonClient({ urls: [a.url] });
    expect((await client.listApps()).map((x) => x.id)).to.deep.equal(['/b']);
    expect(b.listRequests).to.equal(1);
  });

  it('gives up on a Marathon that does not answer in time', async () => {
    a.hangLists = true;
    const client = new MarathonClient({ urls: [a.url, b.url], responseTimeoutMs: 200 });
    expect((await client.listApps()).map((x) => x.id)).to.deep.equal(['/b']);
    expect(a.listRequests).to.equal(1);
  });

  it('rejects with every failure when no Marathon answers properly', async () => {
    a.listBody = '<html>proxy error</html>';
    b.failStatus = 503;
    const err = await rejection(new MarathonClient({ urls: [a.url, b.url] }).listApps());
    expect(err).to.be.instanceOf(NoMarathonAvailable);
    if (!(err instanceof NoMarathonAvailable)) return;
    expect(err.failures.map((f) => f.code)).to.deep.equal(['MARATHON_BAD_RESPONSE', 'MARATHON_REQUEST_FAILED']);
    expect(err.message).to.include('503');
  });

  it('stops at once when the caller aborts', async () => {
    a.hangLists = true;
    const abort = new AbortController();
    const listing = new MarathonClient({ urls: [a.url, b.url] }).listApps(abort.signal);
    setImmediate(() => abort.abort(new Error('stopping')));
    expect(await rejection(listing)).to.have.property('message', 'stopping');
    expect(b.listRequests).to.equal(0);
  });

  describe('parseAppList', () => {
    const bad: Array<[string, string]> = [
      ['not JSON', '{'],
      ['no apps array', '{"app":[]}'],
      ['an app without id', '{"apps":[{"cmd":"x"}]}'],
      ['an app with a numeric id', '{"apps":[{"id":1}]}'],
      ['tasks that are not an array', '{"apps":[{"id":"/a","tasks":{}}]}'],
      ['a task without state', '{"apps":[{"id":"/a","tasks":[{"id":"t"}]}]}'],
      ['a task whose ports are not an array', '{"apps":[{"id":"/a","tasks":[{"id":"t","state":"TASK_RUNNING","ports":3}]}]}'],
    ];
    for (const [name, text] of bad) {
      it(`calls ${name} a bad response`, () => {
        expect(() => parseAppList('http://m', text)).to.throw(MarathonBadResponse);
      });
    }

    it('accepts apps without tasks', () => {
      expect(parseAppList('http://m', '{"apps":[{"id":"/a"}]}').map((x) => x.id)).to.deep.equal(['/a']);
    });
  });
});
