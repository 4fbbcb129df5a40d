/**
 * Who is running and with what authorization. Apps Script decides what a script may touch from
 * the run's AuthMode; the emulator keeps the same rules so a bundle that reads properties in an
 * un-enabled onOpen, writes cells from a custom function or opens a prompt from a trigger fails
 * here as it would in Sheets.
 */
export type AuthMode = 'NONE' | 'LIMITED' | 'CUSTOM_FUNCTION' | 'FULL';
export type RunKind = 'simpleTrigger' | 'menu' | 'customFunction' | 'sidebar' | 'timeTrigger' | 'direct';

export interface ExecContext {
  authMode: AuthMode;
  kind: RunKind;
  /** Wall-clock start (ms) and limit for this execution. */
  startedAt: number;
  limitMs: number;
}

export class ContextStack {
  private stack: ExecContext[] = [];

  get current(): ExecContext {
    const c = this.stack[this.stack.length - 1];
    // Calls made by the test harness outside any run behave like the script editor's "Run".
    return c ?? { authMode: 'FULL', kind: 'direct', startedAt: Date.now(), limitMs: 360_000 };
  }

  run<T>(ctx: ExecContext, fn: () => T): T {
    this.stack.push(ctx);
    try {
      return fn();
    } finally {
      this.stack.pop();
    }
  }
}

/** Apps Script's own exception shape: scripts see `Exception: <message>` in logs. */
export class GasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

export function requireAuth(ctx: ExecContext, what: string, allowed: AuthMode[]): void {
  if (!allowed.includes(ctx.authMode)) {
    throw new GasError(`You do not have permission to call ${what}. Required permissions are not granted in AuthMode.${ctx.authMode}.`);
  }
}

export function denyInCustomFunction(ctx: ExecContext, what: string): void {
  if (ctx.kind === 'customFunction') throw new GasError(`You do not have permission to call ${what}`);
}
