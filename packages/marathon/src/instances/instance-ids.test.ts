import { expect } from 'chai';
import { newInstanceId, parseTaskId, safePath, taskIdFor } from './instance-ids';

describe('instance and task ids', () => {
  const uuid = '0c6a1c3e-07a0-11ef-9a8b-0242ac110002';
  it('builds the 1.7+ forms from the safe path', () => {
    expect(safePath('/shop/web')).to.equal('shop_web');
    const instance = newInstanceId('/shop/web', uuid);
    expect(instance).to.equal(`shop_web.instance-${uuid}`);
    expect(taskIdFor(instance, 2)).to.equal(`shop_web.instance-${uuid}._app.2`);
  });

  const rows: Array<[string, ReturnType<typeof parseTaskId>]> = [
    [`shop_web.instance-${uuid}._app.3`, { safePath: 'shop_web', instanceId: `shop_web.instance-${uuid}`, attempt: 3 }],
    [`shop_web.instance-${uuid}._app`, { safePath: 'shop_web', instanceId: `shop_web.instance-${uuid}` }],
    [`shop_web.marathon-${uuid}`, { safePath: 'shop_web', instanceId: `shop_web.marathon-${uuid}` }],
    [`shop_web.${uuid}`, { safePath: 'shop_web', instanceId: `shop_web.${uuid}` }],
    ['not-a-task-id', undefined],
  ];
  for (const [id, parsed] of rows) it(`parses ${id}`, () => expect(parseTaskId(id)).to.deep.equal(parsed));
});
