import { expect } from 'chai';
import { appHref, editHref, parseRoute } from './routes';

describe('UI routes', () => {
  it('maps URLs to pages, keeping the slashes of app ids', () => {
    expect(parseRoute('/ui/', '')).to.deep.include({ page: 'apps' });
    expect(parseRoute('/ui/apps/prod/web', '')).to.deep.equal({ page: 'app', appId: '/prod/web' });
    expect(parseRoute('/ui/create', '')).to.deep.equal({ page: 'create' });
    expect(parseRoute('/ui/nothing', '')).to.deep.equal({ page: 'not-found', path: '/nothing' });
  });

  it('maps the deployments page and the edit form of an app', () => {
    expect(parseRoute('/ui/deployments', '')).to.deep.equal({ page: 'deployments' });
    expect(parseRoute('/ui/cluster', '')).to.deep.equal({ page: 'cluster' });
    expect(parseRoute(editHref('/prod/web'), '')).to.deep.equal({ page: 'edit', appId: '/prod/web' });
    expect(editHref('/prod/web')).to.equal('/ui/apps/prod/web/edit');
  });

  it('links to an app by a URL that leads back to it', () => {
    expect(appHref('/prod/web')).to.equal('/ui/apps/prod/web');
    expect(parseRoute(appHref('/prod/web'), '')).to.deep.equal({ page: 'app', appId: '/prod/web' });
  });
});
