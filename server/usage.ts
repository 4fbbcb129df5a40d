/**
 * A command-line usage error (a bad flag or value): the CLI prints its message with the command's
 * help instead of a stack trace. Every subcommand's argument parsing throws these.
 */
export function usageError(message: string): never {
  throw Object.assign(new Error(message), { usage: true });
}

/**
 * An integer flag `--name` from its raw text: undefined when the flag is absent, else an integer in
 * [min, max] or a usage error naming the flag, its range and what was given.
 */
export function integerFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    usageError(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
  return n;
}

/** Runs a flag's validator (e.g. graphql/validate's asin) and turns its error into a usage error with the same message. */
export function checkedFlag<T>(validate: () => T): T {
  try {
    return validate();
  } catch (e) {
    return usageError((e as Error).message);
  }
}
