/**
 * The server's one notion of "now" (epoch ms), injected into every service that reads the date:
 * plans are computed as of today (UTC), intelligence windows end now, sales may not be recorded
 * for days after today, and alert passes run as of now. Tests pin it (`app.clock.now = () => t`).
 * Durations, timers and cross-process leases use the system timer instead: they measure elapsed
 * time, not the business date.
 */
export class Clock {
  now: () => number = () => Date.now();
}
