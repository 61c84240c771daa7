import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { users } from '../api/endpoints';
import { getUser, hasSession, subscribeSession } from '../api/session';
import { setLang, t, useLang, type Lang } from '../i18n';

export function useSession() {
  const [, bump] = useState(0);
  useEffect(() => subscribeSession(() => bump((n) => n + 1)), []);
  return { signedIn: hasSession(), user: getUser() };
}

export function Layout({ children }: { children: ComponentChildren }) {
  const lang = useLang();
  const { signedIn } = useSession();
  const { route } = useLocation();
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <a href={signedIn ? '/' : '/login'} class="brand">
          <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
            <circle cx="16" cy="16" r="15" fill="currentColor" />
            <path d="M9 21l7-12 7 12z" fill="#fff" />
          </svg>
          {t('app.name')}
        </a>
        <div class="topbar-actions">
          <label class="sr-only" for="lang">
            {t('app.lang')}
          </label>
          <select id="lang" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
          {signedIn && (
            <button
              type="button"
              class="btn btn-link"
              onClick={async () => {
                await users.logout().catch(() => undefined);
                route('/login');
              }}
            >
              {t('app.logout')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer">
        <small>
          <a href="https://www.openstreetmap.org/copyright" rel="noopener">
            {t('app.footer')}
          </a>
        </small>
      </footer>
    </div>
  );
}

/** Renders children only with a session; otherwise sends the user to /login?next=… */
export function Protected({ children }: { children: ComponentChildren }) {
  const { signedIn } = useSession();
  const { route, url } = useLocation();
  useEffect(() => {
    if (!signedIn) route(`/login?next=${encodeURIComponent(url)}`, true);
  }, [signedIn]);
  return signedIn ? <>{children}</> : null;
}

export function PageTitle({ children, step }: { children: ComponentChildren; step?: { n: number; of: number } }) {
  return (
    <div class="page-title">
      {step && <p class="eyebrow">{t('trip.stepOf', { n: step.n, of: step.of })}</p>}
      <h1 tabIndex={-1}>{children}</h1>
    </div>
  );
}
