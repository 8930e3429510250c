import { expect } from 'chai';
import { appHref, parseRoute } from './routes';

describe('UI routes', () => {
  it('maps URLs to pages, keeping the slashes of app ids', () => {
    expect(parseRoute('/ui/', '')).to.deep.include({ page: 'apps' });
    expect(parseRoute('/ui/apps/prod/web', '')).to.deep.equal({ page: 'app', appId: '/prod/web' });
    expect(parseRoute('/ui/create', '')).to.deep.equal({ page: 'create' });
    expect(parseRoute('/ui/nothing', '')).to.deep.equal({ page: 'not-found', path: '/nothing' });
  });

  it('links to an app by a URL that leads back to it', () => {
    expect(appHref('/prod/web')).to.equal('/ui/apps/prod/web');
    expect(parseRoute(appHref('/prod/web'), '')).to.deep.equal({ page: 'app', appId: '/prod/web' });
  });
});
