import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { users } from '../api/endpoints';
import { getUser, hasSession, subscribeSession } from '../api/session';
import { setLang, t, useLang, type Lang } from '../i18n';
import { useOnline } from '../lib/connection';
import { ConfirmDialog } from './ConfirmDialog';

export function useSession() {
  const [, bump] = useState(0);
  useEffect(() => subscribeSession(() => bump((n) => n + 1)), []);
  return { signedIn: hasSession(), user: getUser() };
}

export function Layout({ children }: { children: ComponentChildren }) {
  const lang = useLang();
  const { signedIn } = useSession();
  const { route, path } = useLocation();
  const [menu, setMenu] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const online = useOnline();
  useEffect(() => setMenu(false), [path]);
  useEffect(() => {
    document.addEventListener('focusin', keepFocusVisible);
    return () => document.removeEventListener('focusin', keepFocusVisible);
  }, []);
  async function logout() {
    setConfirming(false);
    setMenu(false);
    await users.logout().catch(() => undefined);
    // Replace, so Back does not return to a signed-in page (it would bounce to login anyway).
    route('/login', true);
  }
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
        {signedIn && (
          // Wide screens: the main navigation sits in the top bar (the phone's bottom bar is hidden).
          <nav class="topnav" aria-label={t('nav.main')}>
            <NavLinks path={path} />
          </nav>
        )}
        <div class="topbar-actions">
          <label class="sr-only" for="lang">
            {t('app.lang')}
          </label>
          <select id="lang" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
          {signedIn && (
            <button type="button" class="btn btn-link menu-btn" aria-expanded={menu} aria-controls="menu" onClick={() => setMenu(!menu)}>
              {t('nav.menu')}
            </button>
          )}
        </div>
      </header>
      {signedIn && menu && (
        <nav id="menu" class="menu" aria-label={t('nav.menu')}>
          <NavLinks path={path} />
          <a href="/profile" aria-current={path === '/profile' ? 'page' : undefined}>
            {t('nav.profile')}
          </a>
          <button
            type="button"
            class="btn btn-link danger"
            onClick={() => {
              setMenu(false);
              setConfirming(true);
            }}
          >
            {t('app.logout')}
          </button>
        </nav>
      )}
      {confirming && <ConfirmLogout onYes={logout} onNo={() => setConfirming(false)} />}
      <main id="main" tabIndex={-1}>
        {!online && (
          <div class="offline-banner" role="status">
            {t('app.offline')}
          </div>
        )}
        {children}
      </main>
      <footer class="footer">
        <small>
          <a href="https://www.openstreetmap.org/copyright" rel="noopener">
            {t('app.footer')}
          </a>
          {' · '}
          <a href="https://www.geonames.org/" rel="noopener">
            {t('app.footerCities')}
          </a>
        </small>
      </footer>
      {signedIn && (
        <nav class="bottombar" aria-label={t('nav.main')}>
          <NavLinks path={path} icons />
        </nav>
      )}
    </div>
  );
}

/** Scrolls a focused element out from under the sticky top bar and the phone's fixed bottom
 * bar (tabbing through a form must show where focus is; WCAG 2.4.11). */
function keepFocusVisible(e: FocusEvent) {
  const el = e.target;
  if (!(el instanceof HTMLElement) || el.closest('.bottombar, .topbar, dialog')) return;
  // Keyboard focus only: scrolling under a pressed mouse button would turn the click into
  // a press on one element and a release on another, and the click would be lost.
  if (!el.matches(':focus-visible')) return;
  const r = el.getBoundingClientRect();
  const bar = document.querySelector('.bottombar');
  const bottom = bar && getComputedStyle(bar).position === 'fixed' && getComputedStyle(bar).display !== 'none' ? bar.getBoundingClientRect().top : window.innerHeight;
  const top = document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;
  if (r.bottom > bottom - 8) window.scrollBy(0, r.bottom - bottom + 16);
  else if (r.top < top + 8) window.scrollBy(0, r.top - top - 16);
}

const NAV = [
  { href: '/', key: 'nav.home', icon: 'M3 11l9-7 9 7v9a1 1 0 01-1 1h-5v-6H9v6H4a1 1 0 01-1-1z' },
  { href: '/trips/new', key: 'nav.new', icon: 'M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z' },
  { href: '/nearby', key: 'nav.nearby', icon: 'M10 3a7 7 0 015.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1110 3zm0 2a5 5 0 100 10 5 5 0 000-10z' },
  { href: '/trips', key: 'nav.trips', icon: 'M4 5h16v2H4zm0 6h16v2H4zm0 6h16v2H4z' },
] as const;

function NavLinks({ path, icons = false }: { path: string; icons?: boolean }) {
  return (
    <>
      {NAV.map((n) => (
        <a href={n.href} aria-current={path === n.href ? 'page' : undefined}>
          {icons && (
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
              <path d={n.icon} fill="currentColor" />
            </svg>
          )}
          <span>{t(n.key)}</span>
        </a>
      ))}
    </>
  );
}

/** A sign-out button with the same confirmation as the menu's. */
export function SignOutButton() {
  const { route } = useLocation();
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <button type="button" class="btn btn-danger btn-block" onClick={() => setConfirming(true)}>
        {t('app.logout')}
      </button>
      {confirming && (
        <ConfirmLogout
          onNo={() => setConfirming(false)}
          onYes={async () => {
            setConfirming(false);
            await users.logout().catch(() => undefined);
            route('/login', true);
          }}
        />
      )}
    </>
  );
}

/** Modal confirmation before signing out (USER-040). */
function ConfirmLogout({ onYes, onNo }: { onYes: () => void; onNo: () => void }) {
  return (
    <ConfirmDialog id="logout" title={t('nav.logoutTitle')} yes={t('app.logout')} onYes={onYes} onNo={onNo}>
      <p>{t('nav.logoutText')}</p>
    </ConfirmDialog>
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
