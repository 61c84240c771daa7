import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import type { GenerationResult, JobStatus } from '../api/types';
import { fieldMessage, t, useLang } from '../i18n';
import { Alert, ErrorState, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { WizardSteps } from '../components/WizardSteps';
import { followGeneration } from '../lib/follow';
import { timeOptions } from '../lib/time';

const MAX = 500;

const draftKey = (id: string) => `tripgen.generateDraft.${id}`;

/** The generate form as last typed for this trip, kept for the tab (sessionStorage). */
function draft(id: string): { startTime?: string; requests?: string } {
  try {
    const v = JSON.parse(sessionStorage.getItem(draftKey(id)) ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as { startTime?: string; requests?: string }) : {};
  } catch {
    return {};
  }
}

function saveDraft(id: string, d: { startTime: string; requests: string }) {
  try {
    if (d.startTime === '09:00' && !d.requests) sessionStorage.removeItem(draftKey(id));
    else sessionStorage.setItem(draftKey(id), JSON.stringify(d));
  } catch {
    /* storage disabled: the form lasts as long as the page */
  }
}

export function Generate() {
  const { params } = useRoute();
  const id = params.id as string;
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>();
  const [tripName, setTripName] = useState('');
  const [startTime, setStartTime] = useState(() => draft(id).startTime ?? '09:00');
  const [requests, setRequests] = useState(() => draft(id).requests ?? '');
  // What was typed survives leaving the page and coming back (Back, the wizard bar, a reload).
  useEffect(() => saveDraft(id, { startTime, requests }), [id, startTime, requests]);
  const [rid, setRid] = useState<string>();
  const [status, setStatus] = useState<JobStatus>();
  const [error, setError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const ctl = useRef<AbortController>();
  const doneRef = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    trips.get(id).then(
      (tr) => {
        setTripName(tr.tripName);
        const g = tr.schedule.generation;
        if ((g.state === 'queued' || g.state === 'running') && g.requestId) setRid(g.requestId);
        setLoading(false);
      },
      (e) => {
        setLoadError(e);
        setLoading(false);
      },
    );
    return () => ctl.current?.abort();
  }, [id]);

  useEffect(() => {
    if (!rid) return;
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    followGeneration(id, rid, setStatus, c.signal).then(
      (s) => {
        if (s?.status === 'completed') requestAnimationFrame(() => doneRef.current?.focus());
      },
      (e) => !c.signal.aborted && setError(errorText(e)),
    );
    return () => c.abort();
  }, [rid]);

  async function submit(ev: Event) {
    ev.preventDefault();
    setError(undefined);
    setErrors({});
    setBusy(true);
    try {
      const acc = await trips.generate(id, { startTime, specialRequests: requests.trim() || null });
      setStatus(undefined);
      setRid(acc.requestId);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        setErrors(Object.fromEntries(Object.entries(e.fieldErrors()).map(([k, v]) => [k, fieldMessage(v)])));
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (loading) return <Loading />;
  if (loadError) return <ErrorState error={loadError} />;
  const running = rid && (!status || status.status === 'queued' || status.status === 'running');
  return (
    <section class="page">
      <WizardSteps tripId={id} current={3} />
      <PageTitle>{t('gen.title')}</PageTitle>
      <p class="muted">{tripName}</p>
      {error && <Alert>{error}</Alert>}
      {!rid || (status && ['failed', 'cancelled'].includes(status.status)) ? (
        <form onSubmit={submit} noValidate>
          {status?.status === 'failed' && <Alert>{t('gen.failed', { error: status.error ?? status.message ?? '' })}</Alert>}
          {status?.status === 'cancelled' && <Alert kind="info">{t('gen.cancelled')}</Alert>}
          <div class={`field${errors.startTime ? ' field-error' : ''}`}>
            <label for="startTime">{t('gen.startTime')}</label>
            <select id="startTime" value={startTime} onChange={(e) => setStartTime((e.currentTarget as HTMLSelectElement).value)}>
              {timeOptions().map((o) => (
                <option value={o}>{o}</option>
              ))}
            </select>
            {errors.startTime && <small class="msg msg-error">{errors.startTime}</small>}
          </div>
          <div class={`field${errors.specialRequests ? ' field-error' : ''}`}>
            <label for="specialRequests">{t('gen.requests')}</label>
            <textarea
              id="specialRequests"
              rows={4}
              maxLength={MAX}
              placeholder={t('gen.requestsHint')}
              aria-describedby="specialRequests-count"
              value={requests}
              onInput={(e) => setRequests((e.currentTarget as HTMLTextAreaElement).value)}
            />
            <small id="specialRequests-count" class={`hint counter${requests.length >= MAX ? ' msg-error' : ''}`}>
              {requests.length}/{MAX}
            </small>
            {errors.specialRequests && <small class="msg msg-error">{errors.specialRequests}</small>}
          </div>
          <div class="actions">
            <a class="btn btn-secondary" href={`/trips/${id}/destinations`}>
              {t('app.back')}
            </a>
            <button class="btn btn-primary" type="submit" disabled={busy} aria-busy={busy}>
              {t('gen.submit')}
            </button>
          </div>
        </form>
      ) : (
        <div class="card gen-progress" aria-live="polite">
          <h2>{status?.status === 'completed' ? t('gen.done') : t('gen.progress')}</h2>
          <div
            class="progress progress-lg"
            role="progressbar"
            aria-label={t('gen.progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={status?.progress ?? 0}
          >
            <span style={{ width: `${status?.progress ?? 0}%` }} />
          </div>
          <p>
            <strong>{status?.progress ?? 0}%</strong>{' '}
            {status?.status === 'queued' || !status ? t('gen.queued') : status.message}
          </p>
          {running && status?.etaSeconds != null && <p class="muted">{t('gen.eta', { s: status.etaSeconds })}</p>}
          {status?.status === 'completed' && <UnderstoodList result={status.result as unknown as GenerationResult | undefined} />}
          {status?.status === 'completed' ? (
            <div class="actions">
              <button
                type="button"
                class="btn btn-secondary"
                onClick={() => {
                  setRid(undefined);
                  setStatus(undefined);
                }}
              >
                {t('gen.again')}
              </button>
              <a ref={doneRef} class="btn btn-primary" href={`/trips/${id}/schedule`}>
                {t('gen.view')}
              </a>
            </div>
          ) : (
            <button type="button" class="btn btn-secondary" onClick={() => rid && trips.cancelGeneration(id, rid).catch((e) => setError(errorText(e)))}>
              {t('gen.cancel')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** Every wish of the special requests with what the plan did about it (or why not). */
function UnderstoodList({ result }: { result?: GenerationResult }) {
  const lang = useLang();
  const wishes = result?.understood ?? [];
  if (!wishes.length) return null;
  return (
    <div class="understood">
      <h3>{t('gen.understood')}</h3>
      <ul>
        {wishes.map((w) => (
          <li class={`wish wish-${w.status}`}>
            <span class="badge">{w.status === 'honoured' ? t('gen.honoured') : t('gen.explained')}</span>{' '}
            {lang === 'ko' ? w.noteKo : w.note}
          </li>
        ))}
      </ul>
    </div>
  );
}
