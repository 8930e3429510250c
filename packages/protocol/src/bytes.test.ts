import { expect } from 'chai';
import { formatBytes, InvalidBytesError, parseBytes } from './bytes';

describe('Mesos byte sizes', () => {
  it('parses every unit', () => {
    expect(parseBytes('100B')).to.equal(100);
    expect(parseBytes('10KB')).to.equal(10240);
    expect(parseBytes('512MB')).to.equal(512 * 1024 * 1024);
    expect(parseBytes(' 2GB ')).to.equal(2 * 1024 ** 3);
    expect(parseBytes('1TB')).to.equal(1024 ** 4);
  });

  it('refuses what Mesos refuses, naming the text', () => {
    for (const bad of ['', '2', 'GB', '1.5GB', '-1MB', '2gb', '2 PB']) {
      expect(() => parseBytes(bad), bad).to.throw(InvalidBytesError, `'${bad}'`);
    }
  });

  it('formats with the largest exact unit and round-trips', () => {
    expect(formatBytes(2 * 1024 ** 3)).to.equal('2GB');
    expect(formatBytes(1536)).to.equal('1536B');
    expect(formatBytes(0)).to.equal('0B');
    for (const n of [1, 1024, 3 * 1024 ** 2, 5 * 1024 ** 4]) expect(parseBytes(formatBytes(n))).to.equal(n);
  });
});
