#!/usr/bin/env node
// tepui command executor: launched by the agent for a task with a CommandInfo and no executor.
import { runExecutor } from '../executor-main';
import { CommandExecutor } from './command-executor';

runExecutor('command-executor', (deps) => new CommandExecutor(deps));
