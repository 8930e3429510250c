// How executors are started and stopped. The agent core decides; a containerizer only does it.
import type { ExecutorInfo, FrameworkInfo } from '@tepui/protocol';

export interface LaunchSpec {
  readonly framework: FrameworkInfo & { id: { value: string } };
  readonly executor: ExecutorInfo;
  readonly containerId: string;
  /** Absent for the simulated containerizer, which has no sandbox. */
  readonly sandbox?: string;
  /** One of Tepui's own executors (from --launcher_dir), or absent for the ExecutorInfo's command. */
  readonly builtin?: 'command' | 'default' | 'docker';
  readonly env: Readonly<Record<string, string>>;
}

export interface Containerizer {
  /**
   * Starts the executor; `onExit` fires once when it is gone. Resolves with its pid when it has
   * one, once it is started (one that could not be started resolves with none, after `onExit`).
   */
  launch(spec: LaunchSpec, onExit: (status?: number) => void): Promise<number | undefined>;
  /** Watches an executor found alive after an agent restart. */
  recover(pid: number, onExit: (status?: number) => void): void;
  /** Kills the executor and everything it started. */
  destroy(pid: number | undefined, sandbox: string | undefined): void;
  /** Whether a recovered pid still belongs to a live process. */
  isAlive(pid: number): boolean;
}
