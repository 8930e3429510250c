import { expect } from 'chai';
import {
  AppExists, AppLocked, BadRequest, EmptyBody, GroupExists, IllegalArgument, InvalidJson, MARATHON_ERROR_CODES, NoLeader, NotInQueue, TooManyDeployments, UnknownApp,
  UiNotBuilt, UnknownDeployment, UnknownGroup, UnknownPod, UnknownRoute, UnknownTask, ValidationFailed,
  MethodNotAllowed, MasterUnavailable, UpstreamRefused, SandboxNotFound, AgentUnreachable,
} from './errors';

describe('Marathon errors', () => {
  const all = [new InvalidJson('x'), new EmptyBody(), new ValidationFailed('Object is not valid', []), new UnknownApp('/a'), new UnknownDeployment('d'), new UnknownRoute('/x'), new AppExists('/a'), new AppLocked(['d']), new NoLeader(),
    new UnknownTask('t'), new UnknownGroup('/g'), new GroupExists('/g'), new NotInQueue('/a'), new BadRequest('x'), new TooManyDeployments(100), new UnknownPod('/p'), new IllegalArgument('x'), new UiNotBuilt(),
    new MethodNotAllowed('POST', '/ui/api/mesos/master/state'), new MasterUnavailable('x'), new UpstreamRefused('master', 500, 'x'), new SandboxNotFound('t', 'x'), new AgentUnreachable('a:5051', 'x')];
  it('have unique codes, each mapped to a status, and the table lists them all', () => {
    expect(all.map((e) => e.code).sort()).to.deep.equal([...MARATHON_ERROR_CODES].sort());
    // 5xx only for the proxy's upstreams (the Mesos master, an agent) failing, never for Marathon itself.
    for (const e of all) expect(e.status).to.be.within(400, e.code === 'MASTER_UNAVAILABLE' || e.code === 'UPSTREAM_REFUSED' || e.code === 'AGENT_UNREACHABLE' ? 503 : 499);
  });
  it('render the bodies Marathon sends', () => {
    expect(new UnknownApp('/shop/web').body()).to.deep.equal({ message: "App '/shop/web' does not exist" });
    expect(new AppLocked(['97c1']).body()).to.deep.equal({ message: "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/97c1'.", deployments: [{ id: '97c1' }] });
    expect(new NotInQueue('/shop/web').body()).to.deep.equal({ message: 'Application /shop/web not found in tasks queue.' });
    expect(new InvalidJson('Unexpected end').body()).to.deep.equal({ message: 'Invalid JSON', details: 'Unexpected end' });
  });
});
