import { expect } from 'chai';
import { connectionAt, RESTORED_BANNER_MS, streamFailed, streamOpened, type Connection } from './connection';

describe('connection banner', () => {
  it('goes live on the first open, and reads again only if it read before (that read may predate the subscription)', () => {
    expect(streamOpened({ kind: 'connecting' }, 0, false)).to.deep.equal({ connection: { kind: 'live' }, reload: false });
    expect(streamOpened({ kind: 'connecting' }, 0, true)).to.deep.equal({ connection: { kind: 'live' }, reload: true });
    expect(streamOpened({ kind: 'live' }, 0, true)).to.deep.equal({ connection: { kind: 'live' }, reload: false });
  });

  it('says lost on a failure, keeps the first time through repeated failures, and reloads once back', () => {
    let c: Connection = streamFailed({ kind: 'live' }, 1000).connection;
    c = streamFailed(c, 2000).connection;
    expect(c).to.deep.equal({ kind: 'lost', since: 1000 });
    const back = streamOpened(c, 3000, false);
    expect(back).to.deep.equal({ connection: { kind: 'restored', at: 3000 }, reload: true });
    expect(connectionAt(back.connection, 3000 + RESTORED_BANNER_MS - 1).kind).to.equal('restored');
    expect(connectionAt(back.connection, 3000 + RESTORED_BANNER_MS).kind).to.equal('live');
  });
});
