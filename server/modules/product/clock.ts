/**
 * The server's notion of "now". Plans are computed as of today (UTC) and sales may not be recorded
 * for days after it; tests replace `now` to pin the calendar.
 */
export class Clock {
  now: () => number = () => Date.now();
}
