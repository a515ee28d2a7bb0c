/**
 * The CLI's two failure kinds. A UsageError (exit 2) is a mistake in how the command line is
 * written; everything else that fails is a CommandError (exit 1) from src/kernel, whose
 * message is safe to print.
 */
export { CommandError } from '../kernel/index.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command (its words) whose usage the hint should show, if known. */
    readonly command?: string[],
  ) {
    super(message);
  }
}

/** Exit codes (issue 3): success, a command failed, the command line is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
