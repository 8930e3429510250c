import { expect } from 'chai';
import { formatAppFilter, parseAppFilter } from './app-filter';

describe('app filter in the URL', () => {
  it('reads group, text, statuses and labels, ignoring unknown statuses', () => {
    expect(parseAppFilter('?group=prod/&q=web&status=running,bogus,delayed&label=team=a&label=canary')).to.deep.equal({
      group: '/prod', text: 'web', statuses: ['running', 'delayed'], labels: [{ key: 'team', value: 'a' }, { key: 'canary' }],
    });
  });

  it('writes back what it read, and nothing for no filter', () => {
    const query = '?group=%2Fprod&q=web&status=running&label=team%3Da&label=canary';
    expect(formatAppFilter(parseAppFilter(query))).to.equal(query);
    expect(formatAppFilter(parseAppFilter(''))).to.equal('');
  });
});
