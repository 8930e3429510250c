import { expect } from 'chai';
import { app } from '../scheduling/test-fixtures';
import { endpointOf, portIndexOf } from './instance-endpoint';

describe('instance endpoints (where Marathon reaches a port)', () => {
  const on = { host: 'agent-1', ports: [31001, 31002], ipAddresses: [{ ipAddress: '10.0.0.7', protocol: 'IPv4' as const }] };

  it('uses the agent and the host port of a port definition on the host network', () => {
    const web = app({ portDefinitions: [{ port: 0, protocol: 'tcp', name: 'http' }, { port: 0, protocol: 'tcp', name: 'admin' }] });
    expect(endpointOf(web, on, 1)).to.deep.equal({ host: 'agent-1', port: 31002 });
    expect(endpointOf(web, on, 2)).to.equal(undefined);
    expect(portIndexOf(web, 'admin')).to.equal(1);
  });

  it('counts only mappings with a host port, and reaches the others at the task address and container port', () => {
    const web = app({
      networks: [{ mode: 'container', name: 'dcos' }],
      container: {
        type: 'DOCKER', docker: { image: 'x' },
        portMappings: [
          { containerPort: 8080, name: 'internal' },
          { containerPort: 9090, hostPort: 0, name: 'http' },
          { containerPort: 9091, hostPort: 0, name: 'admin' },
        ],
      },
    });
    expect(endpointOf(web, on, 0)).to.deep.equal({ host: '10.0.0.7', port: 8080 });
    expect(endpointOf(web, on, 1)).to.deep.equal({ host: 'agent-1', port: 31001 });
    expect(endpointOf(web, on, 2)).to.deep.equal({ host: 'agent-1', port: 31002 });
    expect(endpointOf(web, { ...on, ipAddresses: [] }, 0), 'no address reported yet').to.equal(undefined);
    expect(portIndexOf(web, 'admin')).to.equal(2);
    expect(portIndexOf(web, 'none')).to.equal(-1);
  });
});
