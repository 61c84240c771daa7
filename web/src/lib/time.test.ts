import { expect, it } from 'vitest';
import { hhmm, timeOptions } from './time';

it('formats minutes since midnight', () => {
  expect(hhmm(540)).toBe('09:00');
  expect(hhmm(1290)).toBe('21:30');
  expect(hhmm(1445)).toBe('00:05');
});
it('lists start times in 10-minute steps', () => {
  const o = timeOptions();
  expect(o[0]).toBe('06:00');
  expect(o[1]).toBe('06:10');
  expect(o.at(-1)).toBe('12:00');
});
