// Settings (HS-USER-060/070): language, notifications, AI consent, the linked data source,
// profile edit, sign out, and account deletion behind a typed confirmation.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import { clearSession } from '../api/session';
import type { LinkInfo, Profile } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { Card, ErrorBox } from '../components/ui';
import { setLang, t, useLang, type Lang } from '../i18n';
import { useMe } from '../app';

export function Settings() {
  const lang = useLang();
  const { profile, setProfile } = useMe();
  const { route } = useLocation();
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const link = useAsync(() => api<{ link?: LinkInfo; source: string }>('health/checkups/latest'), [lang]);

  const save = async (patch: { language?: Lang; notificationsEnabled?: boolean; aiConsent?: boolean }) => {
    setError(undefined);
    setSaved(false);
    try {
      setProfile(await api<Profile>('users/me/settings', { method: 'PUT', body: patch }));
      setSaved(true);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const switchLang = (l: Lang) => {
    setLang(l);
    save({ language: l });
  };
  const signOut = async () => {
    try {
      await api('auth/logout', { method: 'POST' });
    } catch {
      /* the session ends locally either way */
    }
    clearSession();
    route('/login');
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('settings.title')}</h1>
      <ErrorBox error={error} />
      <p class="sr-only" role="status">
        {saved ? t('settings.saved') : ''}
      </p>
      <Card title={t('settings.language')} id="lang">
        <fieldset class="segmented-radio">
          <legend class="sr-only">{t('settings.language')}</legend>
          {(['ko', 'en'] as const).map((l) => (
            <label key={l} class="choice">
              <input type="radio" name="lang" checked={lang === l} onChange={() => switchLang(l)} /> <span lang={l}>{l === 'ko' ? '한국어' : 'English'}</span>
            </label>
          ))}
        </fieldset>
      </Card>
      <Card title={t('settings.privacy')} id="privacy">
        <label class="choice">
          <input type="checkbox" checked={profile?.notificationsEnabled ?? true} onChange={(e) => save({ notificationsEnabled: e.currentTarget.checked })} /> {t('settings.notifications')}
        </label>
        <label class="choice">
          <input type="checkbox" checked={profile?.aiConsent ?? false} aria-describedby="ai-hint" onChange={(e) => save({ aiConsent: e.currentTarget.checked })} /> {t('profile.aiConsent')}
        </label>
        <p class="hint" id="ai-hint">
          {t('profile.aiConsentText')}
        </p>
      </Card>
      <Card title={t('settings.account')} id="account">
        <dl class="facts">
          <dt>{t('settings.email')}</dt>
          <dd>{profile?.email}</dd>
          <dt>{t('settings.occupation')}</dt>
          <dd>{profile?.occupation?.name ?? '–'}</dd>
          <dt>{t('settings.source')}</dt>
          <dd>{link.data?.link ? t('settings.sourceText', { dataset: link.data.link.dataset ?? link.data.source, year: link.data.link.referenceYear ?? '–' }) : '–'}</dd>
        </dl>
        {link.data?.link?.notice && <p class="hint">{link.data.link.notice}</p>}
        <p>
          <a href="/profile">{t('profile.edit')}</a>
        </p>
        <button type="button" class="btn secondary" onClick={signOut}>
          {t('settings.signOut')}
        </button>
      </Card>
      <DeleteAccount />
    </>
  );
}

function DeleteAccount() {
  const { route } = useLocation();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<ApiError>();
  const word = t('settings.deleteWord');
  const del = async (e: Event) => {
    e.preventDefault();
    if (typed.trim() !== word) return;
    try {
      await api('users/me', { method: 'DELETE' });
      clearSession();
      route('/login?deleted=1');
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <form class="card danger-zone" onSubmit={del}>
      <h2>{t('settings.delete')}</h2>
      <p>{t('settings.deleteText')}</p>
      <label for="delete-confirm">{t('settings.deleteType', { word })}</label>
      <input id="delete-confirm" value={typed} autocomplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />
      <ErrorBox error={error} />
      <button type="submit" class="btn danger" disabled={typed.trim() !== word}>
        {t('settings.deleteConfirm')}
      </button>
    </form>
  );
}
