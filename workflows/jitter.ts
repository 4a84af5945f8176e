/**
 * Timer jitter (decision 019). Institutions imported together share their creation time, and
 * pathways started together their first review: without a spread, thousands of pathways wake
 * within the same seconds, every quarter. Each pathway's timers fire a fixed offset late, taken
 * from a hash of its workflow id: the same on every replay and every run after continue-as-new,
 * different from one institution to the next. Pure code: safe inside the workflow sandbox.
 */

/** The widest offset: wide enough to spread thousands of wake-ups, narrow beside days-long timers. */
export const TIMER_JITTER_WINDOW_MS = 6 * 60 * 60 * 1000;

/** 32-bit FNV-1a of the text. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The offset of a workflow's timers, in [0, window). The window shrinks to an eighth of the
 * shortest timer, so a short timer (a template with a one-day reminder) is never doubled.
 */
export function timerJitterMs(workflowId: string, shortestTimerMs: number = Infinity): number {
  const window = Math.max(1, Math.min(TIMER_JITTER_WINDOW_MS, Math.floor(shortestTimerMs / 8)));
  return fnv1a(workflowId) % window;
}
