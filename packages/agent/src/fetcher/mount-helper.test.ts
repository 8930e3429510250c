// The mount helper's shell, with mount(8) refusing: its words come back, in order, and the
// helper keeps serving (needs root only for a mount that succeeds, covered in sandbox-layers.test.ts).
import { expect } from 'chai';
import { MountHelper } from './mount-helper';

describe('mount helper', () => {
  it('answers each request in order with mount\'s own error, and keeps serving', async () => {
    const helper = new MountHelper();
    try {
      const results = await Promise.all(['/nonexistent/a', '/nonexistent/b'].map((target) =>
        helper.mountOverlay('lowerdir=/nonexistent/l,upperdir=/nonexistent/u,workdir=/nonexistent/w', target).then(() => 'ok', (err: Error) => err.message)));
      // mount names the mount point it refused: each answer went to its own request.
      expect(results[0]).to.include('/nonexistent/a');
      expect(results[1]).to.include('/nonexistent/b');
      const again = await helper.mountOverlay('lowerdir=/x', '/nonexistent/c').then(() => 'ok', (err: Error) => err.message);
      expect(again).to.not.equal('ok');
      expect(await helper.mountOverlay('a', 'b\nc').then(() => 'ok', (err: Error) => err.message)).to.include('newline');
    } finally {
      helper.close();
    }
  });
});
