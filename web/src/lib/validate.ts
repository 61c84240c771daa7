// Client-side checks that mirror the server's rules closely enough for live feedback;
// the server stays the authority (its field errors are shown at the field on submit).
import { t } from '../i18n';
import { normalizePhone } from './phone';

export interface SignupForm {
  name: string;
  email: string;
  phone: string;
  username: string;
  password: string;
  passwordConfirm: string;
  termsAccepted: boolean;
}

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateSignup(f: SignupForm): Partial<Record<keyof SignupForm, string>> {
  const e: Partial<Record<keyof SignupForm, string>> = {};
  if (!f.name.trim()) e.name = t('v.required');
  if (!f.email.trim()) e.email = t('v.required');
  else if (!EMAIL_RE.test(f.email.trim())) e.email = t('v.email');
  if (!f.phone.trim()) e.phone = t('v.required');
  else if (!normalizePhone(f.phone)) e.phone = t('v.phone');
  if (!f.username.trim()) e.username = t('v.required');
  else if (f.username.trim().length < 5) e.username = t('v.usernameShort');
  if (!f.password) e.password = t('v.required');
  if (!f.passwordConfirm) e.passwordConfirm = t('v.required');
  else if (f.password !== f.passwordConfirm) e.passwordConfirm = t('v.mismatch');
  if (!f.termsAccepted) e.termsAccepted = t('v.terms');
  return e;
}
