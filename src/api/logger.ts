/**
 * The logging interface of the client. The VS Code side passes its `LogOutputChannel`, which has these
 * methods; tests pass an array-backed logger.
 */
export interface ClientLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops every message. */
export const SILENT_LOGGER: ClientLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
