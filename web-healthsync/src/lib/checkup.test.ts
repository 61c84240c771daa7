import { describe, expect, it } from 'vitest';
import type { CheckupItem } from '../api/types';
import { bandRects, bandText, chartDomain, groupItems, worstOf } from './checkup';

const item = (code: string, status: string | null, value = 1): CheckupItem => ({ code, name: code, value, unit: '', status, group: null, bands: null });

describe('checkup display', () => {
  it('groups items in screen order and names the worst status', () => {
    const groups = groupItems([item('glucose', 'normal'), item('sbp', 'danger'), item('dbp', 'warning'), item('height', null), item('bmi', 'warning'), item('new_item', 'normal')]);
    expect(groups.map((g) => g.key)).toEqual(['grp.body', 'grp.pressure', 'grp.sugar', 'grp.other']);
    expect(groups[0].items.map((i) => i.code)).toEqual(['height', 'bmi']);
    expect(groups[1].worst).toBe('danger');
    expect(groups[2].worst).toBe('normal');
  });
  it('finds the worst status, ignoring unjudged items', () => {
    expect(worstOf([null, 'normal', 'warning'])).toBe('warning');
    expect(worstOf([null, undefined])).toBeNull();
  });
  it('writes bands as ranges', () => {
    expect(bandText({ max: 119 })).toBe('≤ 119');
    expect(bandText({ min: 120, max: 139 })).toBe('120–139');
    expect(bandText({ min: 140 })).toBe('≥ 140');
  });
  it('spans every point and finite band edge, and clips open bands to it', () => {
    const bands = { normal: [{ max: 119 }], warning: [{ min: 120, max: 139 }], danger: [{ min: 140 }] };
    const [lo, hi] = chartDomain([112, 131], bands);
    expect(lo).toBeLessThan(112);
    expect(hi).toBeGreaterThan(140);
    const rects = bandRects(bands, [100, 160]);
    expect(rects).toEqual([
      { status: 'normal', from: 100, to: 119 },
      { status: 'warning', from: 120, to: 139 },
      { status: 'danger', from: 140, to: 160 },
    ]);
    // A band outside the shown range is left out.
    expect(bandRects({ normal: [{ max: 50 }], warning: [], danger: [] }, [60, 90])).toEqual([]);
  });
  it('gives a flat series a visible range', () => {
    const [lo, hi] = chartDomain([5, 5], null);
    expect(hi - lo).toBeGreaterThan(0);
  });
});
