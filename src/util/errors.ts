/**
 * Errors meant for the user: the CLI prints `message` on one line and exits with `exitCode`,
 * never a stack trace. Anything else that escapes is a bug in hv440.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = "UserError";
  }
}
