import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../api/client';
import { users } from '../api/endpoints';
import type { Availability, PasswordCheck } from '../api/types';
import { fieldMessage, t } from '../i18n';
import { Alert, Field, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { useDebouncedCheck, type Check } from '../lib/useDebounced';
import { validateSignup, type SignupForm } from '../lib/validate';
import { normalizePhone } from '../lib/phone';

type K = keyof SignupForm;

function availability(c: Check<Availability>): { error?: string; ok?: string; status?: string } {
  if (c.state === 'checking') return { status: t('signup.checking') };
  if (c.state === 'done') return c.value.available ? { ok: t('signup.available') } : { error: fieldMessage({ code: 'TAKEN', message: c.value.message }) };
  return {};
}

export function StrengthMeter({ check }: { check: Check<PasswordCheck> }) {
  if (check.state !== 'done') return null;
  const { strength, errors } = check.value;
  const level = strength === 'strong' ? 3 : strength === 'medium' ? 2 : 1;
  return (
    <div class="strength" data-strength={strength}>
      <div class="strength-row">
        <span>{t('signup.strength')}:</span>
        <meter min={0} max={3} low={1.5} high={2.5} optimum={3} value={level} aria-label={t('signup.strength')} />
        <strong>{t(`signup.strength.${strength}`)}</strong>
      </div>
      {errors.length > 0 && (
        <ul class="strength-errors">
          {errors.map((e) => (
            <li key={e.code}>{fieldMessage(e)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Signup() {
  const { route } = useLocation();
  const [f, setF] = useState<SignupForm>({
    name: '',
    email: '',
    phone: '',
    username: '',
    password: '',
    passwordConfirm: '',
    termsAccepted: false,
  });
  const [touched, setTouched] = useState<Partial<Record<K, boolean>>>({});
  const [server, setServer] = useState<Partial<Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const local = validateSignup(f);
  const set = (k: K) => (v: string | boolean) => {
    setF((p) => ({ ...p, [k]: v }));
    setServer((s) => ({ ...s, [k]: undefined }));
  };
  const touch = (k: K) => () => setTouched((tt) => ({ ...tt, [k]: true }));
  const err = (k: K) => server[k] ?? (touched[k] ? local[k] : undefined);

  const uCheck = useDebouncedCheck(f.username.trim(), !local.username, (v, s) => users.checkUsername(v, s));
  const eCheck = useDebouncedCheck(f.email.trim(), !local.email, (v, s) => users.checkEmail(v, s));
  const pCheck = useDebouncedCheck(f.password, f.password.length > 0, (v, s) => users.checkPassword(v, f.username, s), 300);
  const uState = availability(uCheck);
  const eState = availability(eCheck);

  async function submit(e: Event) {
    e.preventDefault();
    setError(undefined);
    setTouched({ name: true, email: true, phone: true, username: true, password: true, passwordConfirm: true, termsAccepted: true });
    const first = (Object.keys(local) as K[])[0];
    if (first) {
      setError(t('v.fixErrors'));
      document.getElementById(first)?.focus();
      return;
    }
    setBusy(true);
    try {
      await users.register({ ...f, name: f.name.trim(), email: f.email.trim(), phone: normalizePhone(f.phone) ?? f.phone.trim(), username: f.username.trim() });
      route('/login?registered=1');
    } catch (ex) {
      if (ex instanceof ApiError && ex.errors.length) {
        const fe = ex.fieldErrors();
        setServer(Object.fromEntries(Object.entries(fe).map(([k, v]) => [k, fieldMessage(v)])));
        setError(t('v.fixErrors'));
        document.getElementById(ex.errors[0].field)?.focus();
      } else setError(errorText(ex));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page narrow">
      <PageTitle>{t('signup.title')}</PageTitle>
      {error && <Alert>{error}</Alert>}
      <form onSubmit={submit} noValidate>
        <Field id="name" label={t('signup.name')} autocomplete="name" value={f.name} onValue={set('name')} onBlur={touch('name')} error={err('name')} required />
        <Field
          id="email"
          type="email"
          label={t('signup.email')}
          autocomplete="email"
          value={f.email}
          onValue={set('email')}
          onBlur={touch('email')}
          error={err('email') ?? (touched.email ? eState.error : undefined)}
          ok={eState.ok}
          status={eState.status}
          required
        />
        <Field
          id="phone"
          type="tel"
          label={t('signup.phone')}
          hint={t('signup.phoneHint')}
          autocomplete="tel"
          value={f.phone}
          onValue={set('phone')}
          onBlur={touch('phone')}
          error={err('phone')}
          required
        />
        <Field
          id="username"
          label={t('signup.username')}
          hint={t('signup.usernameHint')}
          autocomplete="username"
          autocapitalize="none"
          value={f.username}
          onValue={set('username')}
          onBlur={touch('username')}
          error={err('username') ?? uState.error}
          ok={uState.ok}
          status={uState.status}
          required
        />
        <Field
          id="password"
          type="password"
          label={t('signup.password')}
          hint={t('signup.passwordHint')}
          autocomplete="new-password"
          value={f.password}
          onValue={set('password')}
          onBlur={touch('password')}
          error={err('password')}
          required
        />
        <StrengthMeter check={pCheck} />
        <Field
          id="passwordConfirm"
          type="password"
          label={t('signup.passwordConfirm')}
          autocomplete="new-password"
          value={f.passwordConfirm}
          onValue={set('passwordConfirm')}
          onBlur={touch('passwordConfirm')}
          error={err('passwordConfirm')}
          required
        />
        <div class={`field${err('termsAccepted') ? ' field-error' : ''}`}>
          <label class="check">
            <input
              id="termsAccepted"
              type="checkbox"
              checked={f.termsAccepted}
              aria-invalid={err('termsAccepted') ? 'true' : undefined}
              aria-describedby={err('termsAccepted') ? 'termsAccepted-msg' : undefined}
              onChange={(e) => {
                set('termsAccepted')((e.currentTarget as HTMLInputElement).checked);
                touch('termsAccepted')();
              }}
            />
            {t('signup.terms')}
          </label>
          {err('termsAccepted') && (
            <small id="termsAccepted-msg" class="msg msg-error">
              {err('termsAccepted')}
            </small>
          )}
        </div>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy} aria-busy={busy}>
          {t('signup.submit')}
        </button>
      </form>
      <p class="switch">
        {t('signup.haveAccount')} <a href="/login">{t('signup.toLogin')}</a>
      </p>
    </section>
  );
}
