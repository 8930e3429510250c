#!/usr/bin/env node
// tepui default executor: launched by the agent for a task group with a DEFAULT ExecutorInfo.
import { runExecutor } from '../executor-main';
import { DefaultExecutor } from './default-executor';

runExecutor('default-executor', (deps) => new DefaultExecutor(deps));
