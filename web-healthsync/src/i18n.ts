// Texts in Korean (this product's default) and English. The language is the saved choice,
// else the browser's first language when it is Korean or English, else Korean. Settings
// switch it; the server is told (its texts follow `Accept-Language`).
import { useEffect, useState } from 'preact/hooks';
import { ko, en, type Key } from './texts';

export type Lang = 'ko' | 'en';
const LANG_KEY = 'healthsync.lang';

/** The language a first visit gets from the browser's list. */
export function pickLang(saved: string | null, browser: readonly string[]): Lang {
  if (saved === 'ko' || saved === 'en') return saved;
  for (const l of browser) {
    const c = l.toLowerCase();
    if (c.startsWith('ko')) return 'ko';
    if (c.startsWith('en')) return 'en';
  }
  return 'ko';
}

function initialLang(): Lang {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch {
    /* storage blocked */
  }
  const nav = typeof navigator !== 'undefined' ? (navigator.languages?.length ? navigator.languages : [navigator.language]) : [];
  return pickLang(saved, nav);
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();
if (typeof document !== 'undefined') document.documentElement.lang = lang;

export function getLang(): Lang {
  return lang;
}

export function setLang(l: Lang) {
  lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = l;
  for (const fn of listeners) fn();
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s: string = (lang === 'ko' ? ko[key] : en[key]) ?? en[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** `t(key)` when the key exists (codes the server may add later), else `fallback`. */
export function tOr(key: string, fallback: string, params?: Record<string, string | number>): string {
  return key in en ? t(key as Key, params) : fallback;
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [l, set] = useState(lang);
  useEffect(() => {
    const fn = () => set(lang);
    listeners.add(fn);
    return () => {
      listeners.delete(fn);
    };
  }, []);
  return l;
}

const locale = () => (lang === 'ko' ? 'ko-KR' : 'en-GB');

/** A local day `YYYY-MM-DD` as the user reads it. */
export function fmtDay(iso: string, withWeekday = true): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(locale(), {
    month: 'short',
    day: 'numeric',
    ...(withWeekday ? { weekday: 'short' as const } : {}),
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant as date and time in the user's language. */
export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function fmtNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A rate in percent (the server sends 1 decimal, or null when there were no active days). */
export function fmtRate(r: number | null | undefined): string {
  return r === null || r === undefined ? '–' : `${fmtNumber(r, r % 1 === 0 ? 0 : 1)}%`;
}

/** A problem's message: ours for the codes we know, else the server's (already localised). */
export function problemMessage(code: string, detail: string): string {
  return tOr(`err.${code}`, detail || t('err.generic', { code }));
}

/** A field error's message in the user's language: the server writes "한국어 / English". */
export function fieldText(e: { code: string; message: string }): string {
  const known = tOr(`field.${e.code}`, '');
  if (known) return known;
  const parts = e.message.split(' / ');
  return parts.length === 2 ? parts[lang === 'ko' ? 0 : 1] : e.message;
}
