// The slice of pino the SDK logs through; a pino logger (or a child) satisfies it as is.
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const ignore = (): void => undefined;

export const SILENT_LOGGER: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
