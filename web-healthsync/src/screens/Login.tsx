// Sign-in: what the app does, the privacy notice, and the one sign-in button — Google, or the
// clearly labelled development sign-in when the server runs its dev issuer (spec §6).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import { rememberState } from '../api/session';
import type { StartResponse } from '../api/types';
import { appConfig } from '../lib/appConfig';
import { ErrorBox } from '../components/ui';
import { setLang, t, useLang } from '../i18n';

/** Only paths on this site, never a protocol-relative or absolute URL. */
export function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : undefined;
}

export function Login() {
  const lang = useLang();
  const { query } = useLocation();
  const [dev, setDev] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    appConfig().then((c) => setDev(c.devIssuer));
  }, []);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<StartResponse>('auth/oidc/start', { method: 'POST', auth: false, body: { next: safeNext(query.next) } });
      rememberState(r.state);
      window.location.assign(r.authorizationUrl);
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  };

  return (
    <div class="login">
      <h1 tabIndex={-1}>HealthSync</h1>
      <p class="lead">{t('login.lead')}</p>
      <ul class="features">
        <li>{t('login.f1')}</li>
        <li>{t('login.f2')}</li>
        <li>{t('login.f3')}</li>
      </ul>
      {dev && (
        <p class="dev-banner" role="note">
          {t('login.devBanner')}
        </p>
      )}
      <ErrorBox error={error} />
      {query.error && <p class="error" role="alert">{t('login.failed')}</p>}
      {query.deleted && <p role="status" class="notice">{t('login.deleted')}</p>}
      {dev === null ? null : dev ? (
        <button type="button" class="btn primary wide" onClick={start} disabled={busy}>
          {t('login.dev')}
        </button>
      ) : (
        <button type="button" class="btn google wide" onClick={start} disabled={busy}>
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 48 48">
            <path fill="#EA4335" d="M24 9.5c3.5 0 6.6 1.2 9 3.5l6.7-6.7C35.6 2.4 30.2 0 24 0 14.6 0 6.6 5.4 2.7 13.3l7.8 6C12.4 13.6 17.7 9.5 24 9.5z" />
            <path fill="#4285F4" d="M46.1 24.5c0-1.6-.1-3.1-.4-4.5H24v9h12.4c-.5 2.9-2.2 5.3-4.6 6.9l7.3 5.7c4.3-4 7-9.9 7-17.1z" />
            <path fill="#FBBC05" d="M10.5 28.7c-.5-1.4-.8-3-.8-4.7s.3-3.2.8-4.7l-7.8-6C1 16.6 0 20.2 0 24s1 7.4 2.7 10.7l7.8-6z" />
            <path fill="#34A853" d="M24 48c6.5 0 11.9-2.1 15.8-5.8l-7.3-5.7c-2 1.4-4.7 2.3-8.5 2.3-6.3 0-11.6-4.1-13.5-9.8l-7.8 6C6.6 42.6 14.6 48 24 48z" />
          </svg>
          {t('login.google')}
        </button>
      )}
      <p class="privacy">{t('login.privacy')}</p>
      <p>
        <button type="button" class="link" onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')} lang={lang === 'ko' ? 'en' : 'ko'}>
          {lang === 'ko' ? 'English' : '한국어'}
        </button>
      </p>
    </div>
  );
}
