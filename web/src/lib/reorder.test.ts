import { describe, expect, it } from 'vitest';
import { changed, dropIndex, insertionToTarget, idsWithout, isRejectedEdit, move, reorderedIds, warningsByStop } from './reorder';
import type { DayView, Stop } from '../api/types';

const stop = (id: string, warnings: { code: string; message: string }[] = []) =>
  ({ placeId: id, name: id, warnings }) as unknown as Stop;

describe('reorder', () => {
  it('moves an item forward and backward', () => {
    expect(move(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(move(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'b', 'c']);
  });
  it('clamps the target and ignores a bad source', () => {
    expect(move(['a', 'b', 'c'], 0, 99)).toEqual(['b', 'c', 'a']);
    expect(move(['a', 'b', 'c'], 2, -5)).toEqual(['c', 'a', 'b']);
    expect(move(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });
  it('gives the place ids the server expects', () => {
    const stops = [stop('p1'), stop('p2'), stop('p3')];
    expect(reorderedIds(stops, 2, 0)).toEqual(['p3', 'p1', 'p2']);
    expect(idsWithout(stops, 1)).toEqual(['p1', 'p3']);
    expect(changed(stops, ['p1', 'p2', 'p3'])).toBe(false);
    expect(changed(stops, ['p2', 'p1', 'p3'])).toBe(true);
    expect(changed(stops, ['p1', 'p2'])).toBe(true);
  });
  it('finds the drop index from card middles', () => {
    const mids = [100, 200, 300];
    expect(dropIndex(mids, 50)).toBe(0);
    expect(dropIndex(mids, 150)).toBe(1);
    expect(dropIndex(mids, 999)).toBe(3);
    // Dragging card 0 below card 1 (insertion point 2) puts it at index 1.
    expect(insertionToTarget(0, 2)).toBe(1);
    expect(insertionToTarget(2, 0)).toBe(0);
    expect(insertionToTarget(1, 1)).toBe(1);
    expect(insertionToTarget(1, 2)).toBe(1);
  });
  it('puts warnings on the stop they name', () => {
    const day = {
      stops: [stop('p1', [{ code: 'CLOSED', message: 'closed at 10:00' }]), stop('p2')],
      warnings: [
        { code: 'WALK', message: 'long walk', placeId: 'p2' },
        { code: 'NO_LUNCH', message: 'no lunch' },
        { code: 'X', message: 'gone', placeId: 'p9' },
      ],
    } as unknown as DayView;
    const w = warningsByStop(day);
    expect(w.byPlace.get('p1')).toEqual(['closed at 10:00']);
    expect(w.byPlace.get('p2')).toEqual(['long walk']);
    expect(w.general).toEqual(['no lunch', 'gone']);
  });
  it('recognises a rejected edit', () => {
    expect(isRejectedEdit({ day: { stops: [] }, violations: [] })).toBe(true);
    expect(isRejectedEdit({ retryAfterSeconds: 3 })).toBe(false);
    expect(isRejectedEdit(null)).toBe(false);
  });
});
