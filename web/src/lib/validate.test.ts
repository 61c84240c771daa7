import { expect, it } from 'vitest';
import { setLang } from '../i18n';
import { validateSignup } from './validate';
import { safeNext } from '../pages/Login';
import { tripHref } from '../pages/Dashboard';

const ok = { name: 'Kim', email: 'k@example.com', phone: '010-1234-5678', username: 'kimtest', password: 'Secret!234', passwordConfirm: 'Secret!234', termsAccepted: true };

it('accepts a valid sign-up form and flags each bad field', () => {
  setLang('en');
  expect(validateSignup(ok)).toEqual({});
  const e = validateSignup({ ...ok, email: 'bad', phone: '12', username: 'kim', passwordConfirm: 'x', termsAccepted: false });
  expect(Object.keys(e).sort()).toEqual(['email', 'passwordConfirm', 'phone', 'termsAccepted', 'username']);
  expect(validateSignup({ ...ok, phone: '+821012345678' })).toEqual({});
});

it('follows only same-site paths after sign-in', () => {
  expect(safeNext('/trips/1/schedule')).toBe('/trips/1/schedule');
  expect(safeNext('//evil.example')).toBe('/');
  expect(safeNext('https://evil.example')).toBe('/');
  expect(safeNext(undefined)).toBe('/');
});

it('links trip cards to the wizard step or the schedule', () => {
  expect(tripHref({ id: 'x', status: 'planning', step: 2 })).toBe('/trips/x/destinations');
  expect(tripHref({ id: 'x', status: 'planning', step: null })).toBe('/trips/x/basic');
  expect(tripHref({ id: 'x', status: 'ongoing', step: null })).toBe('/trips/x/schedule');
});
