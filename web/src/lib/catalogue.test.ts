import { expect, it } from 'vitest';
import { setLang } from '../i18n';
import { catalogueCityName, cityMatches } from './catalogue';

const munich = { name: 'München', nameEn: 'Munich', nameKo: '뮌헨' };

it('names a catalogue city in the UI language, falling back to English and the local name', () => {
  setLang('ko');
  expect(catalogueCityName(munich)).toBe('뮌헨');
  expect(catalogueCityName({ name: 'Porto', nameEn: 'Porto', nameKo: null })).toBe('Porto');
  setLang('en');
  expect(catalogueCityName(munich)).toBe('Munich');
  expect(catalogueCityName({ name: 'Helsinki', nameEn: null, nameKo: null })).toBe('Helsinki');
});

it('matches typed text against every name, case-insensitively', () => {
  expect(cityMatches(munich, 'mün')).toBe(true);
  expect(cityMatches(munich, 'MUNI')).toBe(true);
  expect(cityMatches(munich, '뮌')).toBe(true);
  expect(cityMatches(munich, 'porto')).toBe(false);
  expect(cityMatches(munich, '  ')).toBe(true);
});
