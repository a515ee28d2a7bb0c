import type { CommandErrorInfo, JsonValue } from './api.js';

/**
 * The error a command fails with; the only error whose message reaches the caller
 * (UI, CLI, tests). Its message and details must carry no secrets and no argument values.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: JsonValue,
  ) {
    super(message);
  }

  /** The JSON form that crosses the bridge: `{code, message, details}`. */
  toJSON(): CommandErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** A wiring or configuration mistake: bad plugin graph, duplicate registration, bad config file. */
export class KernelError extends Error {
  override readonly name = 'KernelError';
}
