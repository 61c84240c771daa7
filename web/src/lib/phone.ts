// Mobile numbers (issue 22): Korean numbers as Koreans write them (010-1234-5678, dashes
// optional) and any country's number in international form (+44 7700 900123), checked
// against the per-country number plans of libphonenumber-js (the `min` metadata). "Possible"
// rather than "valid": a number in a range the metadata does not list yet (or the UK's
// +44 7700 900xxx, reserved for examples) is still a number a traveller may type.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** The number as sent to the server — Korean mobiles dashed (010-1234-5678), everything else
 * in E.164 (+447700900123) — or null when it is not a valid number. */
export function normalizePhone(text: string): string | null {
  const p = parsePhoneNumberFromString(text.trim(), 'KR');
  // Korean numbers are checked in full (the plan is well known and short numbers exist).
  if (!p || !(p.country === 'KR' ? p.isValid() : p.isPossible())) return null;
  if (p.country === 'KR' && p.nationalNumber.startsWith('1')) return p.formatNational().replace(/\s+/g, '-');
  return p.number;
}
