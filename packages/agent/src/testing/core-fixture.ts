// The agent core as the unit tests build it: agent A-S0 on 127.0.0.1:5051, Mesos' default
// timeouts, a manual clock and a silent logger. The containerizer and checkpoint store vary.
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import { AgentCore } from '../agent-core';
import type { CheckpointStore } from '../checkpoint/checkpoint-store';
import type { Containerizer } from '../containerizer/containerizer';

export function testAgentCore(containerizer: Containerizer, checkpoint?: CheckpointStore, clock: ManualClock = new ManualClock()): AgentCore {
  return new AgentCore(
    { agentId: 'A-S0', ip: '127.0.0.1', port: 5051, hostname: 'agent' },
    { executorRegistrationTimeoutMs: 60_000, executorShutdownGracePeriodMs: 5000, recoveryTimeoutMs: 900_000, statusUpdateRetryIntervalMinMs: 10_000 },
    containerizer, checkpoint, clock, pino({ level: 'silent' }),
  );
}
