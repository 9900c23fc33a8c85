/** Small text helpers shared by the plain printer and the Ink screens. */

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * What stands for a secret on screen: always the same, so it gives away no character and not even the
 * length. (The argument is taken so that call sites say what they hide.)
 */
export function mask(_secret: string): string {
  return '•••••••• (secret)';
}

/**
 * When a wait on the outside world checks next and when it gives up, from its own schedule:
 * `next check in 12s · gives up at 14:32 (in 1h 12m)`. The time of day is local, with the date when
 * it is not today (an ACM email validation waits for days).
 */
export function waitScheduleText(nextCheckAt: number, givesUpAt: number, now: number): string {
  const next = nextCheckAt <= now ? 'checking now' : `next check in ${formatDuration(nextCheckAt - now)}`;
  const end = new Date(givesUpAt);
  const time = `${String(end.getHours()).padStart(2, '0')}:${String(end.getMinutes()).padStart(2, '0')}`;
  const sameDay = end.toDateString() === new Date(now).toDateString();
  const day = sameDay ? '' : `${end.getDate()} ${MONTHS[end.getMonth()]} `;
  return `${next} · gives up at ${day}${time} (in ${formatDuration(givesUpAt - now)})`;
}

/**
 * A moment as an operator reads it at a glance, local time: `16:05 today`, `3 Dec 16:05` this year,
 * `3 Mar 2027` further away (an expiry date's time of day is noise).
 */
export function shortTime(at: Date, now: Date): string {
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  if (at.toDateString() === now.toDateString()) return `${time} today`;
  const day = `${at.getDate()} ${MONTHS[at.getMonth()]}`;
  return at.getFullYear() === now.getFullYear() ? `${day} ${time}` : `${day} ${at.getFullYear()}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
