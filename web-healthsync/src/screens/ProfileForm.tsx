// Profile completion (HS-USER-020) and later edits: name, birth date, sex, occupation and the
// two consents explained; on completion the first sync runs and its sample-data notice shows.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api/client';
import type { LinkInfo, Occupation, Profile, SyncResponse } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { ErrorBox, Loading, SampleNotice } from '../components/ui';
import { fieldText, t, useLang } from '../i18n';
import { useMe } from '../app';

export function ProfileForm() {
  const lang = useLang();
  const { profile, setProfile } = useMe();
  const { route } = useLocation();
  const occupations = useAsync(() => api<{ items: Occupation[] }>('users/occupations'), [lang]);
  const [name, setName] = useState(profile?.name ?? '');
  const [birthDate, setBirthDate] = useState(profile?.birthDate ?? '');
  const [sex, setSex] = useState(profile?.sex ?? '');
  const [occupation, setOccupation] = useState(profile?.occupation?.code ?? '');
  const [healthConsent, setHealthConsent] = useState(profile?.status === 'active');
  const [aiConsent, setAiConsent] = useState(profile?.aiConsent ?? false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [synced, setSynced] = useState<SyncResponse | null>(null);
  const completing = profile?.status !== 'active';
  const fields = error?.fieldErrors() ?? {};
  const fieldMsg = (f: string) => (fields[f] ? fieldText(fields[f]) : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const p = await api<Profile>('users/me/profile', {
        method: 'PUT',
        body: { name, birthDate, sex, occupationCode: occupation, healthDataConsent: healthConsent, aiConsent },
      });
      setProfile(p);
      try {
        setSynced(await api<SyncResponse>('health/checkups/sync', { method: 'POST' }));
      } catch (err) {
        // No checkup for this person is not a failure of the profile.
        if (!(err instanceof ApiError) || err.code !== 'CHECKUP_NOT_FOUND') throw err;
        route('/', true);
      }
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  if (synced) {
    const link = synced.link as LinkInfo;
    return (
      <>
        <h1 tabIndex={-1}>{t('profile.synced')}</h1>
        <p>{t('profile.syncedText', { n: synced.recordsSynced, year: synced.latestYear ?? '–' })}</p>
        <SampleNotice notice={link?.notice} />
        <a class="btn primary wide" href="/">
          {t('profile.toHome')}
        </a>
      </>
    );
  }

  const err = (f: string) =>
    fieldMsg(f) ? (
      <span class="field-error" id={`${f}-err`}>
        {fieldMsg(f)}
      </span>
    ) : null;
  const described = (f: string, hint?: string) => [fieldMsg(f) ? `${f}-err` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;

  return (
    <form onSubmit={submit} noValidate class="form">
      <h1 tabIndex={-1}>{completing ? t('profile.title') : t('profile.edit')}</h1>
      {completing && <p class="lead">{t('profile.lead')}</p>}
      <ErrorBox error={error && !error.errors.length ? error : undefined} />
      <label for="name">{t('profile.name')}</label>
      <input id="name" value={name} maxLength={50} autocomplete="name" required aria-invalid={!!fieldMsg('name')} aria-describedby={described('name')} onInput={(e) => setName(e.currentTarget.value)} />
      {err('name')}
      <label for="birthDate">{t('profile.birthDate')}</label>
      <input id="birthDate" type="date" value={birthDate} required autocomplete="bday" aria-invalid={!!fieldMsg('birthDate')} aria-describedby={described('birthDate', 'birth-hint')} onInput={(e) => setBirthDate(e.currentTarget.value)} />
      <span class="hint" id="birth-hint">
        {t('profile.birthHint')}
      </span>
      {err('birthDate')}
      <fieldset aria-describedby={described('sex')}>
        <legend>{t('profile.sex')}</legend>
        {(['female', 'male'] as const).map((s) => (
          <label class="choice" key={s}>
            <input type="radio" name="sex" value={s} checked={sex === s} onChange={() => setSex(s)} /> {t(`sex.${s}`)}
          </label>
        ))}
        {err('sex')}
      </fieldset>
      <label for="occupation">{t('profile.occupation')}</label>
      {occupations.loading ? (
        <Loading />
      ) : (
        <select id="occupation" value={occupation} required aria-invalid={!!fieldMsg('occupationCode')} aria-describedby={described('occupationCode')} onChange={(e) => setOccupation(e.currentTarget.value)}>
          <option value="">{t('profile.choose')}</option>
          {occupations.data?.items.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
      )}
      {err('occupationCode')}
      <div class="consent">
        <label class="choice">
          <input type="checkbox" checked={healthConsent} aria-describedby="hc-text" onChange={(e) => setHealthConsent(e.currentTarget.checked)} /> {t('profile.healthConsent')}
        </label>
        <p class="hint" id="hc-text">
          {t('profile.healthConsentText')}
        </p>
        {err('healthDataConsent')}
      </div>
      <div class="consent">
        <label class="choice">
          <input type="checkbox" checked={aiConsent} aria-describedby="ai-text" onChange={(e) => setAiConsent(e.currentTarget.checked)} /> {t('profile.aiConsent')}
        </label>
        <p class="hint" id="ai-text">
          {t('profile.aiConsentText')}
        </p>
      </div>
      <button type="submit" class="btn primary wide" disabled={busy}>
        {completing ? t('profile.submit') : t('profile.save')}
      </button>
    </form>
  );
}
