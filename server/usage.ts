/**
 * A command-line usage error (a bad flag or value): the CLI prints its message with the command's
 * help instead of a stack trace. Every subcommand's argument parsing throws these.
 */
export function usageError(message: string): never {
  throw Object.assign(new Error(message), { usage: true });
}
