import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../api/client';
import { users } from '../api/endpoints';
import { fieldMessage, t, fmtDateTime } from '../i18n';
import { Alert, Field, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function Login() {
  const { route, query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(e: Event) {
    e.preventDefault();
    setError(undefined);
    const local: Record<string, string> = {};
    if (!username.trim()) local.username = t('v.required');
    if (!password) local.password = t('v.required');
    setFields(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await users.login(username.trim(), password, remember);
      route(safeNext(query.next), true);
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        setFields(Object.fromEntries(Object.entries(err.fieldErrors()).map(([k, v]) => [k, fieldMessage(v)])));
      }
      if (err instanceof ApiError && err.code === 'ACCOUNT_LOCKED') {
        const until = (err.extra as { lockedUntil?: string } | undefined)?.lockedUntil;
        setError(until ? t('login.lockedUntil', { time: fmtDateTime(until) }) : t('login.locked'));
      } else setError(err instanceof ApiError && err.status === 401 ? t('login.failed') : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page narrow">
      <PageTitle>{t('login.title')}</PageTitle>
      {query.registered && <Alert kind="ok">{t('signup.done')}</Alert>}
      {error && <Alert>{error}</Alert>}
      <form onSubmit={submit} noValidate>
        <Field
          id="username"
          label={t('login.username')}
          autocomplete="username"
          autocapitalize="none"
          value={username}
          onValue={setUsername}
          error={fields.username}
          required
        />
        <Field
          id="password"
          type="password"
          label={t('login.password')}
          autocomplete="current-password"
          value={password}
          onValue={setPassword}
          error={fields.password}
          required
        />
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember((e.currentTarget as HTMLInputElement).checked)} />
          {t('login.remember')}
        </label>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy} aria-busy={busy}>
          {t('login.submit')}
        </button>
      </form>
      <p class="switch">
        {t('login.noAccount')} <a href="/signup">{t('login.toSignup')}</a>
      </p>
    </section>
  );
}
