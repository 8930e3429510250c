// A client for HAProxy's Runtime API (the stats socket at `level admin`). A batch travels in one
// connection in prompt mode: HAProxy ends every answer with "\n> ", so answers can be told apart
// even when they are empty (a successful `set server` prints nothing). `set severity-output number`
// makes HAProxy prefix status messages with their syslog level ("[3]: No such server."), which is
// how an error is told from an ordinary answer without matching every message text.
import type { Logger } from 'pino';
import { RuntimeApiCommandFailed, RuntimeApiCommandInvalid, RuntimeApiUnavailable, type FailedCommand } from './errors';
import { SHOW_STAT_COMMAND, showServersStateCommand } from './runtime-commands';
import { parseServersState, type ServerStateRow } from './servers-state';
import { parseStatCsv, type StatRow } from './stat-csv';
import { exchangeOverUnixSocket } from './unix-socket';

export interface RuntimeApiOptions {
  /** The `stats socket` path of the configuration (LbSettings.adminSocket). */
  readonly socketPath: string;
  /** For one batch, connect to close. */
  readonly timeoutMs?: number;
  readonly log?: Logger;
}

/** One command's answer, with HAProxy's severity prefix removed. */
export interface CommandAnswer {
  readonly command: string;
  readonly text: string;
  /** True when HAProxy answered at level err or worse, or did not know the command. */
  readonly failed: boolean;
}

export const DEFAULT_RUNTIME_API_TIMEOUT_MS = 10_000;

const PROMPT = '\n> ';
/** The commands that open every batch; each answers with an empty text. */
const PREAMBLE = ['prompt', 'set severity-output number'];
/** "[3]: No such server." — syslog levels 0 (emerg) to 3 (err) are errors. */
const SEVERITY_PREFIX = /^\[(\d)\]: /;
const LAST_ERROR_LEVEL = 3;

export class RuntimeApi {
  private readonly timeoutMs: number;

  constructor(private readonly opts: RuntimeApiOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_RUNTIME_API_TIMEOUT_MS;
  }

  /**
   * Sends every command in one connection and returns their outputs in order. HAProxy runs all of
   * them even when one fails, so a failure is reported after the whole batch: RuntimeApiCommandFailed
   * lists every failed command and carries every output.
   */
  async execute(commands: readonly string[]): Promise<string[]> {
    const answers = await this.run(commands);
    const failures: FailedCommand[] = [];
    answers.forEach((answer, index) => {
      if (answer.failed) failures.push({ index, command: answer.command, answer: answer.text });
    });
    const outputs = answers.map((answer) => answer.text);
    if (failures.length > 0) throw new RuntimeApiCommandFailed(failures, outputs);
    return outputs;
  }

  /** Like execute(), but returns failed answers as data instead of throwing. */
  async run(commands: readonly string[]): Promise<CommandAnswer[]> {
    if (commands.length === 0) return [];
    for (const command of commands) assertSingleCommand(command);
    const payload = [...PREAMBLE, ...commands, 'quit'].join('\n') + '\n';
    const started = performance.now();
    const raw = await exchangeOverUnixSocket(this.opts.socketPath, payload, { timeoutMs: this.timeoutMs });
    const texts = splitPromptAnswers(raw, commands.length, this.opts.socketPath);
    this.opts.log?.debug({ commands: commands.length, ms: Math.round(performance.now() - started) }, 'runtime API batch answered');
    return commands.map((command, i) => toAnswer(command, texts[i] ?? ''));
  }

  async showServersState(backend?: string): Promise<ServerStateRow[]> {
    const [text] = await this.execute([showServersStateCommand(backend)]);
    return parseServersState(text ?? '');
  }

  async showStat(): Promise<StatRow[]> {
    const [text] = await this.execute([SHOW_STAT_COMMAND]);
    return parseStatCsv(text ?? '');
  }
}

/**
 * The raw stream is: PROMPT after each preamble command, then `<answer>PROMPT` per command, then
 * nothing (quit closes). Any other count means an answer held the prompt text or HAProxy closed
 * early; we refuse to guess which answer belongs to which command.
 */
function splitPromptAnswers(raw: string, expected: number, socketPath: string): string[] {
  const pieces = raw.split(PROMPT);
  const wanted = PREAMBLE.length + expected + 1;
  if (pieces.length !== wanted) {
    throw new RuntimeApiUnavailable(socketPath, `expected ${expected} answers, got ${pieces.length - PREAMBLE.length - 1}`);
  }
  // pieces[0] is the (empty) answer to `prompt`; the prompt after it begins the next piece.
  return pieces.slice(PREAMBLE.length, PREAMBLE.length + expected);
}

function toAnswer(command: string, piece: string): CommandAnswer {
  const text = piece.endsWith('\n') ? piece.slice(0, -1) : piece;
  const severity = SEVERITY_PREFIX.exec(text);
  const level = severity ? Number(severity[1]) : undefined;
  const body = severity ? text.slice(severity[0].length) : text;
  // HAProxy 2.6 answers an unknown command at level info, with a list of near matches.
  const failed = (level !== undefined && level <= LAST_ERROR_LEVEL) || body.startsWith('Unknown command');
  return { command, text: body, failed };
}

/** The CLI splits input at newlines and at unescaped `;`: such a text would shift every answer. */
function assertSingleCommand(command: string): void {
  if (/[\r\n]/.test(command) || /(^|[^\\]);/.test(command)) throw new RuntimeApiCommandInvalid(command);
}
