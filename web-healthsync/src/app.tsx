// The app shell: routes, the signed-in user's profile, the header (notifications with the
// unread badge, settings) and the bottom navigation of a phone app.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { api } from './api/client';
import { isSignedIn, onSessionChange } from './api/session';
import type { Profile } from './api/types';
import { t, useLang } from './i18n';
import { Login } from './screens/Login';
import { Callback } from './screens/Callback';
import { ProfileForm } from './screens/ProfileForm';
import { Home } from './screens/Home';
import { Checkups } from './screens/Checkups';
import { Choose } from './screens/Choose';
import { Missions } from './screens/Missions';
import { Stats } from './screens/Stats';
import { Chat } from './screens/Chat';
import { Notifications } from './screens/Notifications';
import { Settings } from './screens/Settings';
import { Icon } from './components/Icon';

interface Me {
  profile: Profile | null;
  setProfile: (p: Profile | null) => void;
  unread: number;
  refreshUnread: () => void;
}

const MeContext = createContext<Me>({ profile: null, setProfile: () => {}, unread: 0, refreshUnread: () => {} });
export const useMe = () => useContext(MeContext);

const OPEN = ['/login', '/auth/callback'];

function Shell() {
  useLang();
  const loc = useLocation();
  const [signedIn, setSignedIn] = useState(isSignedIn());
  const [profile, setProfile] = useState<Profile | null>(null);
  const [unread, setUnread] = useState(0);
  const open = OPEN.includes(loc.path);

  useEffect(() => onSessionChange(() => setSignedIn(isSignedIn())), []);
  useEffect(() => {
    if (!signedIn) {
      setProfile(null);
      if (!open) loc.route(`/login?next=${encodeURIComponent(loc.url)}`, true);
      return;
    }
    if (!profile && !open)
      api<Profile>('users/me')
        .then(setProfile)
        .catch(() => undefined);
  }, [signedIn, open]);
  // An incomplete profile goes to profile completion first (HS-USER-010).
  useEffect(() => {
    if (profile && profile.status !== 'active' && loc.path !== '/profile') loc.route('/profile', true);
  }, [profile, loc.path]);
  const refreshUnread = () => {
    if (isSignedIn() && profile?.status === 'active')
      api<{ count: number }>('intelligence/notifications/unread-count')
        .then((c) => setUnread(c.count))
        .catch(() => undefined);
  };
  useEffect(refreshUnread, [loc.path, profile?.status]);
  useEffect(() => {
    document.title = `${t(titleKey(loc.path))} · HealthSync`;
    // Focus moves to the new screen's heading so screen readers announce it.
    const h = document.querySelector<HTMLElement>('main h1');
    h?.focus();
  }, [loc.path]);

  const chrome = signedIn && !open && profile?.status === 'active';
  return (
    <MeContext.Provider value={{ profile, setProfile, unread, refreshUnread }}>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      {chrome && (
        <header class="top">
          <a href="/" class="brand">
            HealthSync
          </a>
          <nav aria-label={t('nav.account')} class="top-actions">
            <a href="/notifications" class="icon-link" aria-current={loc.path === '/notifications' ? 'page' : undefined}>
              <Icon name="bell" />
              <span class="sr-only">{t('nav.notifications')}</span>
              {unread > 0 && (
                <>
                  <span class="count" aria-hidden="true">
                    {unread > 99 ? '99+' : unread}
                  </span>
                  <span class="sr-only">{t('nav.unread', { n: unread })}</span>
                </>
              )}
            </a>
            <a href="/settings" class="icon-link" aria-current={loc.path === '/settings' ? 'page' : undefined}>
              <Icon name="settings" />
              <span class="sr-only">{t('nav.settings')}</span>
            </a>
          </nav>
        </header>
      )}
      <main id="main" class={chrome ? 'with-nav' : ''}>
        {signedIn || open ? (
          <Router>
            <Route path="/login" component={Login} />
            <Route path="/auth/callback" component={Callback} />
            <Route path="/profile" component={ProfileForm} />
            <Route path="/" component={Home} />
            <Route path="/checkups" component={Checkups} />
            <Route path="/missions/choose" component={Choose} />
            <Route path="/missions" component={Missions} />
            <Route path="/stats" component={Stats} />
            <Route path="/chat" component={Chat} />
            <Route path="/notifications" component={Notifications} />
            <Route path="/settings" component={Settings} />
            <Route default component={NotFound} />
          </Router>
        ) : null}
      </main>
      {chrome && (
        <nav class="bottom" aria-label={t('nav.main')}>
          {NAV.map(([href, icon, key]) => (
            <a key={href} href={href} aria-current={isCurrent(loc.path, href) ? 'page' : undefined}>
              <Icon name={icon} />
              {t(key)}
            </a>
          ))}
        </nav>
      )}
    </MeContext.Provider>
  );
}

const NAV = [
  ['/', 'home', 'nav.home'],
  ['/checkups', 'checkups', 'nav.checkups'],
  ['/missions', 'missions', 'nav.missions'],
  ['/stats', 'stats', 'nav.stats'],
  ['/chat', 'chat', 'nav.chat'],
] as const;

function isCurrent(path: string, href: string) {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function titleKey(path: string) {
  const map: Record<string, Parameters<typeof t>[0]> = {
    '/login': 'login.title',
    '/auth/callback': 'login.title',
    '/profile': 'profile.title',
    '/': 'home.title',
    '/checkups': 'checkups.title',
    '/missions/choose': 'choose.title',
    '/missions': 'missions.title',
    '/stats': 'stats.title',
    '/chat': 'chat.title',
    '/notifications': 'notif.title',
    '/settings': 'settings.title',
  };
  return map[path] ?? 'app.notFound';
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>{t('app.notFound')}</h1>
      <p>
        <a href="/">{t('nav.home')}</a>
      </p>
    </>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}
