import { describe, expect, it } from 'vitest';
import { blockers, reachable, stepPath } from './wizard';
import type { TripDetail } from '../api/types';

describe('wizard steps', () => {
  it('always allows going back', () => {
    expect(reachable(1, 3, [])).toBe(true);
    expect(reachable(2, 2, [])).toBe(true);
  });
  it('allows forward only when every earlier step is complete', () => {
    expect(reachable(2, 1, [])).toBe(false);
    expect(reachable(2, 1, ['basicSettings'])).toBe(true);
    expect(reachable(3, 1, ['basicSettings'])).toBe(false);
    expect(reachable(4, 2, ['basicSettings', 'destinations', 'generation'])).toBe(true);
    expect(reachable(4, 2, ['basicSettings', 'generation'])).toBe(false);
  });
  it('names the routes and what blocks a step', () => {
    expect(stepPath(undefined, 'destinations')).toBe('/trips/new');
    expect(stepPath('t1', 'generation')).toBe('/trips/t1/generate');
    const trip = {
      step: {
        missing: [
          { step: 'basicSettings', message: 'Add a traveller.', code: 'X', field: 'members' },
          { step: 'destinations', message: 'Set the start date.', code: 'Y', field: 'startDate' },
        ],
      },
    } as unknown as TripDetail;
    expect(blockers(trip, 2)).toEqual(['Add a traveller.']);
    expect(blockers(trip, 3)).toEqual(['Add a traveller.', 'Set the start date.']);
    expect(blockers(undefined, 3)).toEqual([]);
  });
});
