// Every error the HAProxy shell raises, in one place (fastify's lib/errors.js is the model). Each has
// a stable `code` and readonly context, so the sync layer branches on data, not on message text.

/** One complaint HAProxy made about a configuration, with its line when HAProxy named one. */
export interface ConfigProblem {
  readonly line?: number;
  readonly message: string;
}

export abstract class HaproxyError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `haproxy -c` (or the master, while reloading) refused the configuration. */
export class HaproxyConfigRejected extends HaproxyError {
  readonly code = 'HAPROXY_CONFIG_REJECTED';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`HAProxy rejected the configuration: ${summarize(problems)}`);
  }
}

/** HAProxy could not be started, or did not become ready before its deadline. */
export class HaproxyStartFailed extends HaproxyError {
  readonly code = 'HAPROXY_START_FAILED';

  constructor(
    readonly reason: string,
    readonly stderr: readonly string[],
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`HAProxy did not start: ${reason}${problems.length > 0 ? ` (${summarize(problems)})` : ''}`);
  }
}

/** A reload did not produce a worker of the new generation; the previous worker keeps serving. */
export class HaproxyReloadFailed extends HaproxyError {
  readonly code = 'HAPROXY_RELOAD_FAILED';

  constructor(
    readonly reason: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`HAProxy reload failed: ${reason}${problems.length > 0 ? ` (${summarize(problems)})` : ''}`);
  }
}

/** The method needs a running HAProxy (start() first, or it has stopped). */
export class HaproxyNotRunning extends HaproxyError {
  readonly code = 'HAPROXY_NOT_RUNNING';

  constructor(readonly operation: string) {
    super(`${operation} needs a running HAProxy`);
  }
}

/** One command of a batch that HAProxy answered with an error text. */
export interface FailedCommand {
  readonly index: number;
  readonly command: string;
  readonly answer: string;
}

/**
 * Commands answered with an error text ("No such server.", "Require 'backend/server'."). HAProxy
 * ran the rest of the batch; `outputs` holds every command's answer, in order.
 */
export class RuntimeApiCommandFailed extends HaproxyError {
  readonly code = 'RUNTIME_API_COMMAND_FAILED';

  constructor(
    readonly failures: readonly FailedCommand[],
    readonly outputs: readonly string[],
  ) {
    super(
      failures
        .map((f) => `'${f.command}' failed: ${f.answer}`)
        .slice(0, 3)
        .join('; ') + (failures.length > 3 ? ` (and ${failures.length - 3} more)` : ''),
    );
  }

  /** The first failed command; a single-command call has exactly one. */
  get command(): string {
    return this.failures[0]?.command ?? '';
  }

  get answer(): string {
    return this.failures[0]?.answer ?? '';
  }
}

/** The admin socket could not be reached, closed early, or answered in a shape we cannot split. */
export class RuntimeApiUnavailable extends HaproxyError {
  readonly code = 'RUNTIME_API_UNAVAILABLE';

  constructor(
    readonly socketPath: string,
    readonly reason: string,
  ) {
    super(`HAProxy's socket ${socketPath} is unusable: ${reason}`);
  }
}

/** A command we refuse to send because the CLI would read it as several (a newline or a bare `;`). */
export class RuntimeApiCommandInvalid extends HaproxyError {
  readonly code = 'RUNTIME_API_COMMAND_INVALID';

  constructor(readonly command: string) {
    super(`'${command}' contains a newline or an unescaped ';', which HAProxy's CLI splits into commands`);
  }
}

function summarize(problems: readonly ConfigProblem[]): string {
  if (problems.length === 0) return 'no details';
  return problems.map((p) => (p.line === undefined ? p.message : `line ${p.line}: ${p.message}`)).join('; ');
}
