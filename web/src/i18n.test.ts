import { expect, it } from 'vitest';
import { fieldMessage, getLang, setLang, t } from './i18n';

it('switches language, remembers it and interpolates', () => {
  setLang('en');
  expect(t('dash.members', { n: 3 })).toBe('3 travellers');
  setLang('ko');
  expect(getLang()).toBe('ko');
  expect(localStorage.getItem('tripgen.lang')).toBe('ko');
  expect(document.documentElement.lang).toBe('ko');
  expect(t('trip.dest.dates', { from: 'A', to: 'B', nights: 2 })).toBe('A – B · 2박');
});

it('localises known field error codes in Korean, keeps the server text otherwise', () => {
  setLang('ko');
  expect(fieldMessage({ code: 'REQUIRED', message: 'Enter your name.' })).toBe('필수 입력 항목입니다.');
  expect(fieldMessage({ code: 'SOMETHING_NEW', message: 'Server says' })).toBe('Server says');
  setLang('en');
  expect(fieldMessage({ code: 'REQUIRED', message: 'Enter your name.' })).toBe('Enter your name.');
});
