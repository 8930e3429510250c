#!/usr/bin/env node
// tepui Docker executor: launched by the agent for the DOCKER tasks of one framework.
import type Docker from 'dockerode';
import { runExecutor } from '../executor-main';
import { DockerExecutor } from './docker-executor';

let client: Docker | undefined;
// dockerode takes ~90 ms to load: required on first use, and warmed up right after the executor
// has sent its SUBSCRIBE, while the agent answers.
function docker(): Docker {
  if (!client) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DEFAULT_DOCKER_SOCKET, dockerFromHost } = require('./docker-host') as typeof import('./docker-host');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Dockerode = require('dockerode') as typeof Docker;
    client = dockerFromHost(process.env.DOCKER_HOST) ?? new Dockerode({ socketPath: DEFAULT_DOCKER_SOCKET });
  }
  return client;
}

runExecutor('docker-executor', (deps) => new DockerExecutor({
  ...deps,
  docker,
  context: {
    agentId: process.env.MESOS_SLAVE_ID ?? '',
    frameworkId: process.env.MESOS_FRAMEWORK_ID ?? '',
    executorId: process.env.MESOS_EXECUTOR_ID ?? '',
    sandbox: deps.sandbox,
    env: {},
  },
}));
setImmediate(docker);
