// Wizard steps (TRIP-090): back is always allowed, forward only when every earlier step is complete.
import type { TripDetail } from '../api/types';

export const STEPS = ['basicSettings', 'destinations', 'generation', 'schedule'] as const;
export type Step = (typeof STEPS)[number];

export function stepPath(tripId: string | undefined, step: Step): string {
  if (!tripId) return '/trips/new';
  return `/trips/${tripId}/${{ basicSettings: 'basic', destinations: 'destinations', generation: 'generate', schedule: 'schedule' }[step]}`;
}

/** Whether step number `n` (1-based) can be opened from step `current`. */
export function reachable(n: number, current: number, completed: readonly string[]): boolean {
  if (n <= current) return true;
  return STEPS.slice(0, n - 1).every((s) => completed.includes(s));
}

/** The missing items that block step `n`, from the trip detail. */
export function blockers(trip: Pick<TripDetail, 'step'> | undefined, n: number): string[] {
  if (!trip) return [];
  const before = new Set<string>(STEPS.slice(0, n - 1));
  return trip.step.missing.filter((m) => before.has(m.step)).map((m) => m.message);
}
