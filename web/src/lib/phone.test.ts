import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';
import { validateSignup } from './validate';

describe('normalizePhone', () => {
  it('keeps Korean mobile formats', () => {
    expect(normalizePhone('010-1234-5678')).toBe('010-1234-5678');
    expect(normalizePhone('01012345678')).toBe('010-1234-5678');
    expect(normalizePhone('+82 10 1234 5678')).toBe('010-1234-5678');
  });
  it('accepts international numbers as E.164', () => {
    expect(normalizePhone('+44 7700 900123')).toBe('+447700900123');
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('+49 1512 3456789')).toBe('+4915123456789');
  });
  it('refuses what is no number', () => {
    for (const bad of ['', '12', '+44 12', 'call me', '010-12-34']) expect(normalizePhone(bad)).toBeNull();
  });
  it('drives the sign-up check', () => {
    const f = { name: 'A', email: 'a@b.co', username: 'abcdef', password: 'x', passwordConfirm: 'x', termsAccepted: true };
    expect(validateSignup({ ...f, phone: '+44 7700 900123' }).phone).toBeUndefined();
    expect(validateSignup({ ...f, phone: '+44 12' }).phone).toBeDefined();
  });
});
