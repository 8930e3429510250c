import { expect } from 'chai';
import { SUPPORTED_DOCKER_PARAMETERS, type TaskInfo } from '@tepui/protocol';
import { containerName, containerSpec, ContainerSpecError, LABEL_AGENT, LABEL_TASK } from './container-spec';

const ctx = { agentId: 'A-S1', frameworkId: 'F-1', executorId: 'web.1', sandbox: '/sandbox', env: { MESOS_AGENT: 'x' } };

function task(over: Partial<TaskInfo> = {}, docker: Record<string, unknown> = {}): TaskInfo {
  return {
    name: 'web', task_id: { value: 'web.1' }, agent_id: { value: 'A-S1' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 64 } }],
    command: { value: 'httpd -f -p 80', environment: { variables: [{ name: 'PORT0', value: '31001' }] } },
    container: { type: 'DOCKER', docker: { image: 'local/busybox', network: 'BRIDGE', port_mappings: [{ host_port: 31001, container_port: 80, protocol: 'tcp' }], ...docker } },
    ...over,
  } as TaskInfo;
}

describe('Docker container spec', () => {
  it('maps a bridge task: shell command, env, port bindings, limits, sandbox mount and labels', () => {
    const spec = containerSpec(task(), ctx);
    expect(spec.Image).to.equal('local/busybox');
    expect(spec.Entrypoint).to.deep.equal(['/bin/sh', '-c']);
    expect(spec.Cmd).to.deep.equal(['httpd -f -p 80']);
    expect(spec.Env).to.include.members(['MESOS_AGENT=x', 'PORT0=31001', 'MESOS_TASK_ID=web.1', 'MESOS_SANDBOX=/mnt/mesos/sandbox']);
    expect(spec.ExposedPorts).to.deep.equal({ '80/tcp': {} });
    expect(spec.HostConfig).to.deep.include({
      NetworkMode: 'bridge', PortBindings: { '80/tcp': [{ HostPort: '31001' }] }, Privileged: false,
      CpuShares: 512, CpuPeriod: 100_000, CpuQuota: 50_000, Memory: 64 * 1048576, MemorySwap: 64 * 1048576,
    });
    expect(spec.HostConfig!.Binds).to.deep.equal(['/sandbox:/mnt/mesos/sandbox:rw']);
    expect(spec.Labels).to.include({ [LABEL_AGENT]: 'A-S1', [LABEL_TASK]: 'web.1' });
    expect(spec.name).to.equal(containerName(ctx, 'web.1'));
  });

  it('runs argv tasks without a shell and honours host networking', () => {
    const spec = containerSpec(task({ command: { shell: false, arguments: ['httpd', '-f'] } }, { network: 'HOST', port_mappings: [] }), ctx);
    expect(spec.Entrypoint).to.equal(undefined);
    expect(spec.Cmd).to.deep.equal(['httpd', '-f']);
    expect(spec.HostConfig!.NetworkMode).to.equal('host');
  });

  it('applies the supported parameters and volumes', () => {
    const spec = containerSpec(task({}, {
      parameters: [{ key: 'env', value: 'A=1' }, { key: 'label', value: 'team=web' }, { key: 'user', value: 'nobody' }, { key: 'workdir', value: '/www' }, { key: 'add-host', value: 'db:10.0.0.5' }, { key: 'volume', value: '/data:/data:ro' }],
    }), ctx);
    expect(spec.Env).to.include('A=1');
    expect(spec.Labels).to.include({ team: 'web' });
    expect(spec).to.include({ User: 'nobody', WorkingDir: '/www' });
    expect(spec.HostConfig!.ExtraHosts).to.deep.equal(['db:10.0.0.5']);
    expect(spec.HostConfig!.Binds).to.include('/data:/data:ro');
  });

  it('acts on every parameter key Marathon lets through (SUPPORTED_DOCKER_PARAMETERS)', () => {
    const plain = JSON.stringify(containerSpec(task(), ctx));
    for (const key of SUPPORTED_DOCKER_PARAMETERS) {
      const spec = containerSpec(task({}, { parameters: [{ key, value: 'x=1' }] }), ctx);
      expect(JSON.stringify(spec), key).to.not.equal(plain);
    }
  });

  it('resolves relative volume paths as Mesos does: host paths in the task sandbox, container paths in the mounted sandbox', () => {
    const volumes = [
      { container_path: '/data', host_path: 'data', mode: 'RW' },
      { container_path: 'cache', host_path: '/var/cache/app', mode: 'RO' },
      { container_path: '/etc/app', host_path: '/srv/app', mode: 'RO' },
    ];
    const spec = containerSpec(task({ container: { ...task().container!, volumes } as TaskInfo['container'] }), ctx);
    expect(spec.HostConfig!.Binds).to.deep.equal([
      '/sandbox/data:/data:rw', '/var/cache/app:/mnt/mesos/sandbox/cache:ro', '/srv/app:/etc/app:ro', '/sandbox:/mnt/mesos/sandbox:rw',
    ]);
    const refused = (volume: object) => () => containerSpec(task({ container: { ...task().container!, volumes: [volume] } as TaskInfo['container'] }), ctx);
    expect(refused({ container_path: 'a', host_path: 'b' })).to.throw(ContainerSpecError, "Both host_path 'b' and container_path 'a' of a volume are relative");
    expect(refused({ container_path: '/a' })).to.throw(ContainerSpecError, 'Host path or volume source is required');
    expect(refused({ container_path: '/a', source: { type: 'DOCKER_VOLUME', docker_volume: { name: 'v' } } })).to.throw(ContainerSpecError, 'volume sources are not supported');
  });

  it('refuses what cannot run, naming it', () => {
    expect(() => containerSpec(task({}, { parameters: [{ key: 'cpuset-cpus', value: '0' }] }), ctx)).to.throw(ContainerSpecError, "unsupported docker parameter 'cpuset-cpus'");
    expect(() => containerSpec(task({}, { network: 'USER' }), ctx)).to.throw(ContainerSpecError, 'network USER needs a network name');
    expect(() => containerSpec(task({}, { network: 'HOST' }), ctx)).to.throw(ContainerSpecError, 'port mappings need BRIDGE or USER');
    expect(() => containerSpec(task({}, { image: '' }), ctx)).to.throw(ContainerSpecError, 'image is empty');
  });
});
