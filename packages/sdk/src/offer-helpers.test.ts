import { expect } from 'chai';
import fc from 'fast-check';
import { Resources, type Offer, type Resource } from '@tepui/protocol';
import { OfferResources, buildTaskInfo, commandTask, killPolicy, type TaskNeeds } from './offer-helpers';

const alloc = { allocation_info: { role: 'web' } };
const scalar = (name: string, value: number, extra: Partial<Resource> = {}): Resource => ({ name, type: 'SCALAR', scalar: { value }, ...alloc, ...extra });
const ports = (...ranges: Array<[number, number]>): Resource => ({ name: 'ports', type: 'RANGES', ranges: { range: ranges.map(([begin, end]) => ({ begin, end })) }, ...alloc });

function offerOf(resources: Resource[]): Offer {
  return { id: { value: 'o-1' }, framework_id: { value: 'f' }, agent_id: { value: 'a-1' }, hostname: 'a1.example', resources, allocation_info: { role: 'web' } };
}

describe('OfferResources.take', () => {
  const base = [scalar('cpus', 1), scalar('mem', 1024), scalar('disk', 100), ports([31000, 31002], [31010, 31010])];
  const cases: Array<{ name: string; offer: Resource[]; needs: TaskNeeds[]; expectFits: number; expectPorts?: number[][]; expectLeft?: Record<string, number> }> = [
    { name: 'one small task', offer: base, needs: [{ cpus: 0.1, mem: 32 }], expectFits: 1, expectLeft: { cpus: 0.9, mem: 992 } },
    { name: 'packs until cpus run out (fixed point: 10 × 0.1 = 1)', offer: base, needs: Array(11).fill({ cpus: 0.1, mem: 32 }), expectFits: 10 },
    { name: 'packs until mem runs out', offer: base, needs: Array(5).fill({ cpus: 0.1, mem: 300 }), expectFits: 3 },
    { name: 'does not fit a missing resource', offer: base, needs: [{ cpus: 0.1, gpus: 1 }], expectFits: 0 },
    { name: 'takes the lowest ports, across ranges', offer: base, needs: [{ ports: 2 }, { ports: 2 }, { ports: 1 }], expectFits: 2, expectPorts: [[31000, 31001], [31002, 31010]] },
    { name: 'zero needs always fit', offer: base, needs: [{}], expectFits: 1, expectPorts: [[]] },
    { name: 'a scalar split over reserved and unreserved entries', offer: [scalar('cpus', 0.5, { role: '*' }), scalar('cpus', 0.5, { role: 'web', reservations: [{ type: 'STATIC', role: 'web' }] })], needs: [{ cpus: 0.8 }, { cpus: 0.3 }], expectFits: 1, expectLeft: { cpus: 0.2 } },
    { name: 'skips revocable resources by default', offer: [scalar('cpus', 4, { revocable: {} }), scalar('mem', 64)], needs: [{ cpus: 1, mem: 1 }], expectFits: 0 },
    { name: 'other scalars by name', offer: [scalar('cpus', 1), scalar('fpga', 2)], needs: [{ cpus: 0.5, scalars: { fpga: 1.5 } }, { scalars: { fpga: 1 } }], expectFits: 1 },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const pool = new OfferResources(offerOf(c.offer));
      const claims = c.needs.map((n) => pool.take(n)).filter((x) => x !== undefined);
      expect(claims).to.have.length(c.expectFits);
      if (c.expectPorts) expect(claims.map((cl) => cl.ports)).to.deep.equal(c.expectPorts);
      for (const [name, value] of Object.entries(c.expectLeft ?? {})) expect(pool.remaining.scalar(name), name).to.be.closeTo(value, 1e-9);
    });
  }

  it('keeps the role, reservations and allocation_info of what it takes', () => {
    const reserved = scalar('cpus', 2, { role: 'web', reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'p' }] });
    const claim = new OfferResources(offerOf([reserved, ports([31000, 31005])])).take({ cpus: 1, ports: 3 });
    expect(claim?.resources).to.deep.include({ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'web', reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'p' }], allocation_info: { role: 'web' } });
    expect(claim?.resources).to.deep.include({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31002 }] }, allocation_info: { role: 'web' } });
  });

  it('takes nothing when a task does not fit', () => {
    const pool = new OfferResources(offerOf(base));
    expect(pool.take({ cpus: 0.5, mem: 2048 })).to.equal(undefined);
    expect(pool.remaining.equals(Resources.of(base))).to.equal(true);
  });

  it('never claims more than the offer holds, and claims plus remainder equal the offer', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ cpus: fc.integer({ min: 0, max: 600 }), mem: fc.integer({ min: 0, max: 500 }), ports: fc.integer({ min: 0, max: 3 }) }), { maxLength: 20 }), (needs) => {
        const offered = Resources.of(base);
        const pool = new OfferResources(offerOf(base));
        let claimed = Resources.EMPTY;
        for (const n of needs) {
          const claim = pool.take({ cpus: n.cpus / 1000, mem: n.mem, ports: n.ports });
          if (claim) claimed = claimed.plus(Resources.of(claim.resources));
        }
        return offered.contains(claimed) && claimed.plus(pool.remaining).equals(offered);
      }),
    );
  });

  it('takeMany stops at max or when nothing more fits', () => {
    expect(new OfferResources(offerOf(base)).takeMany({ cpus: 0.25 }, 3)).to.have.length(3);
    expect(new OfferResources(offerOf(base)).takeMany({ cpus: 0.25 }, 10)).to.have.length(4);
  });
});

describe('buildTaskInfo and commandTask', () => {
  const resources = [scalar('cpus', 0.1)];
  const cases = [
    { name: 'shell command', spec: { shell: 'sleep 1' }, expectCommand: { shell: true, value: 'sleep 1' } },
    { name: 'argv is exec\'d without a shell', spec: { command: ['/bin/echo', 'hi'] }, expectCommand: { shell: false, value: '/bin/echo', arguments: ['/bin/echo', 'hi'] } },
    { name: 'full CommandInfo plus env and uris', spec: { command: { value: 'run.sh', user: 'nobody' }, env: { A: '1' }, uris: ['http://x/app.tgz'] }, expectCommand: { value: 'run.sh', user: 'nobody', environment: { variables: [{ name: 'A', value: '1' }] }, uris: [{ value: 'http://x/app.tgz' }] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const task = buildTaskInfo({ name: 'n', taskId: 't-1', agentId: { value: 'a-1' }, resources, ...c.spec });
      expect(task.command).to.deep.equal(c.expectCommand);
      expect(task).to.deep.include({ name: 'n', task_id: { value: 't-1' }, agent_id: { value: 'a-1' }, resources });
    });
  }

  it('sets labels, health check, kill policy and data', () => {
    const task = buildTaskInfo({
      name: 'n', taskId: 't', agentId: 'a', resources, shell: 'true', labels: { team: 'x' },
      healthCheck: { type: 'TCP', tcp: { port: 80 } }, killPolicy: killPolicy(3000), data: Buffer.from('d'),
    });
    expect(task.labels).to.deep.equal({ labels: [{ key: 'team', value: 'x' }] });
    expect(task.health_check).to.deep.equal({ type: 'TCP', tcp: { port: 80 } });
    expect(task.kill_policy).to.deep.equal({ grace_period: { nanoseconds: 3_000_000_000 } });
    expect(task.data).to.equal('ZA==');
  });

  it('commandTask places the task on the offer\'s agent with HOST and PORT variables', () => {
    const offer = offerOf([scalar('cpus', 1), ports([31000, 31005])]);
    const claim = new OfferResources(offer).take({ cpus: 0.5, ports: 2 })!;
    const task = commandTask(offer, claim, { name: 'web', taskId: 'web.1', shell: 'serve', env: { PORT: '8080' } });
    expect(task.agent_id).to.deep.equal({ value: 'a-1' });
    expect(task.resources).to.deep.equal(claim.resources);
    const env = Object.fromEntries((task.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
    expect(env).to.deep.equal({ HOST: 'a1.example', PORTS: '31000,31001', PORT0: '31000', PORT1: '31001', PORT: '8080' });
  });
});
