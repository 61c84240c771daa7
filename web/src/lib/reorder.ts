// Pure helpers for editing a day (TRIP-060): the server takes the new order of place ids.
import type { DayView, RejectedEdit, Stop } from '../api/types';

/** `list` with the item at `from` moved to index `to` (both clamped into range). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length) return out;
  const dest = Math.max(0, Math.min(out.length - 1, to));
  const [item] = out.splice(from, 1);
  out.splice(dest, 0, item);
  return out;
}

/** Place ids of the day after moving stop `from` to `to`. */
export function reorderedIds(stops: readonly Stop[], from: number, to: number): string[] {
  return move(stops, from, to).map((s) => s.placeId);
}

/** Place ids of the day without the stop at `index`. */
export function idsWithout(stops: readonly Stop[], index: number): string[] {
  return stops.filter((_, i) => i !== index).map((s) => s.placeId);
}

/** True when the new order differs from the old one. */
export function changed(stops: readonly Stop[], ids: readonly string[]): boolean {
  return stops.length !== ids.length || stops.some((s, i) => s.placeId !== ids[i]);
}

/** What a 409 SCHEDULE_RULES_VIOLATED carries in `extra`: the day as it would be. */
export type { RejectedEdit, Violation } from '../api/types';

export function isRejectedEdit(x: unknown): x is RejectedEdit {
  const r = x as RejectedEdit | null;
  return !!r && typeof r === 'object' && !!r.day && Array.isArray(r.day.stops) && Array.isArray(r.violations);
}

/**
 * Warnings shown on each stop: the stop's own warnings plus day warnings naming its place.
 * Returns warnings by place id and the rest (day level).
 */
export function warningsByStop(day: DayView): { byPlace: Map<string, string[]>; general: string[] } {
  const byPlace = new Map<string, string[]>();
  const add = (pid: string, msg: string) => {
    const l = byPlace.get(pid) ?? [];
    if (!l.includes(msg)) l.push(msg);
    byPlace.set(pid, l);
  };
  for (const s of day.stops) for (const w of s.warnings ?? []) add(s.placeId, w.message);
  const stopIds = new Set(day.stops.map((s) => s.placeId));
  const general: string[] = [];
  for (const w of day.warnings ?? []) {
    if (w.placeId && stopIds.has(w.placeId)) add(w.placeId, w.message);
    else if (!general.includes(w.message)) general.push(w.message);
  }
  return { byPlace, general };
}

/** Index a pointer at `y` falls on, given the vertical middles of the cards in order. */
export function dropIndex(middles: readonly number[], y: number): number {
  let i = 0;
  while (i < middles.length && y > middles[i]) i++;
  return i;
}

/** Target index of the moved item from the insertion point among the original items. */
export function insertionToTarget(from: number, insertion: number): number {
  return insertion > from ? insertion - 1 : insertion;
}
