import { expect } from 'chai';
import { layersDirName, mountPointsAtOrBelow, overlayMountOptions, parseMountInfo } from './overlay-mounts';

describe('overlay mounts of sandboxes (pure)', () => {
  it('lists the lower layers top first, with the sandbox as upper dir', () => {
    expect(overlayMountOptions(['/l/0', '/l/1', '/l/2'], '/sb', '/l/work')).to.equal('lowerdir=/l/2:/l/1:/l/0,upperdir=/sb,workdir=/l/work');
  });

  it('refuses paths the option string cannot hold, and an empty layer list', () => {
    expect(overlayMountOptions(['/l/a,b'], '/sb', '/w')).to.equal(undefined);
    expect(overlayMountOptions(['/l/0'], '/s:b', '/w')).to.equal(undefined);
    expect(overlayMountOptions(['/l/0'], '/sb', '/w\\x')).to.equal(undefined);
    expect(overlayMountOptions([], '/sb', '/w')).to.equal(undefined);
  });

  it('names a sandbox\'s layers directory after its absolute path', () => {
    expect(layersDirName('/a/b/../b/c')).to.equal(layersDirName('/a/b/c')).and.to.match(/^[0-9a-f]{32}$/);
    expect(layersDirName('/a/b/c')).not.to.equal(layersDirName('/a/b/d'));
  });

  it('reads mount points and types from mountinfo, unescaping octal', () => {
    const text = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '46 22 0:39 / /tmp/w/slaves/s/runs/c1 rw,relatime - overlay overlay rw,lowerdir=/x,upperdir=/y,workdir=/z',
      '47 22 0:40 / /tmp/with\\040space rw shared:2 master:1 - overlay overlay rw',
      'garbage line',
      '',
    ].join('\n');
    expect(parseMountInfo(text)).to.deep.equal([
      { mountPoint: '/', fsType: 'ext4' },
      { mountPoint: '/tmp/w/slaves/s/runs/c1', fsType: 'overlay' },
      { mountPoint: '/tmp/with space', fsType: 'overlay' },
    ]);
  });

  it('finds mounts at or below a directory, deepest first, and nothing beside it', () => {
    const mounts = [
      { mountPoint: '/w/a', fsType: 'overlay' },
      { mountPoint: '/w/a/tasks/t1', fsType: 'overlay' },
      { mountPoint: '/w/ab', fsType: 'overlay' },
      { mountPoint: '/w', fsType: 'ext4' },
      { mountPoint: '/', fsType: 'ext4' },
    ];
    expect(mountPointsAtOrBelow(mounts, '/w/a/', 'overlay')).to.deep.equal(['/w/a/tasks/t1', '/w/a']);
    expect(mountPointsAtOrBelow(mounts, '/w')).to.deep.equal(['/w/a/tasks/t1', '/w/ab', '/w/a', '/w']);
    expect(mountPointsAtOrBelow(mounts, '/elsewhere')).to.deep.equal([]);
  });
});
