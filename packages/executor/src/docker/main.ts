#!/usr/bin/env node
// tepui Docker executor: launched by the agent for a task whose ContainerInfo is DOCKER.
import Docker from 'dockerode';
import { runExecutor } from '../executor-main';
import { DEFAULT_DOCKER_SOCKET, dockerFromHost } from './docker-host';
import { DockerExecutor } from './docker-executor';

runExecutor('docker-executor', (deps) => new DockerExecutor({
  ...deps,
  docker: dockerFromHost(process.env.DOCKER_HOST) ?? new Docker({ socketPath: DEFAULT_DOCKER_SOCKET }),
  context: {
    agentId: process.env.MESOS_SLAVE_ID ?? '',
    frameworkId: process.env.MESOS_FRAMEWORK_ID ?? '',
    executorId: process.env.MESOS_EXECUTOR_ID ?? '',
    sandbox: deps.sandbox,
    env: {},
  },
}));
