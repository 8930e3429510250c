// The lines the agent and its executor launcher (launcher-main.ts) exchange, one JSON object each.

export interface LauncherRequest {
  readonly id: number;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Files the executor's stdout and stderr are appended to. */
  readonly stdout: string;
  readonly stderr: string;
}

export type LauncherReply =
  | { readonly id: number; readonly pid: number }
  | { readonly id: number; readonly error: string }
  /** The executor is gone: its exit code, or 128 + the signal that ended it. */
  | { readonly id: number; readonly exited: true; readonly status?: number };
