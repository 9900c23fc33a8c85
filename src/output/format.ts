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
