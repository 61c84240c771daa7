import { describe, expect, it } from 'vitest';
import { en, ko } from './texts';
import { fmtRate, pickLang, setLang, t } from './i18n';

describe('i18n', () => {
  it('has every English text in Korean, none empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(ko)) expect(v.trim(), k).not.toBe('');
  });
  it('keeps the same placeholders in both languages', () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(ph(ko[k]), k).toBe(ph(en[k]));
  });
  it('defaults to Korean, follows an English browser, and a saved choice wins', () => {
    expect(pickLang(null, [])).toBe('ko');
    expect(pickLang(null, ['de-DE', 'fr'])).toBe('ko');
    expect(pickLang(null, ['en-US', 'ko'])).toBe('en');
    expect(pickLang(null, ['ko-KR', 'en'])).toBe('ko');
    expect(pickLang('en', ['ko-KR'])).toBe('en');
    expect(pickLang('xx', ['en-GB'])).toBe('en');
  });
  it('fills parameters and switches language', () => {
    setLang('en');
    expect(t('home.todayRate', { done: 2, n: 3 })).toBe('2 of 3 done');
    setLang('ko');
    expect(t('home.todayRate', { done: 2, n: 3 })).toBe('3개 중 2개 완료');
    expect(document.documentElement.lang).toBe('ko');
  });
  it('prints rates with one decimal, and a dash for no active days', () => {
    setLang('en');
    expect(fmtRate(66.7)).toBe('66.7%');
    expect(fmtRate(100)).toBe('100%');
    expect(fmtRate(null)).toBe('–');
  });
});

describe('field errors', () => {
  it('picks the half of a bilingual server message in the user’s language', async () => {
    const { fieldText } = await import('./i18n');
    const e = { code: 'INVALID_VALUE', message: '목록에 있는 직군이어야 합니다. / Not in the list.' };
    setLang('ko');
    expect(fieldText(e)).toBe('목록에 있는 직군이어야 합니다.');
    setLang('en');
    expect(fieldText(e)).toBe('Not in the list.');
    expect(fieldText({ code: 'X', message: 'plain' })).toBe('plain');
  });
});
