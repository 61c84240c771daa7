// Side panels of the schedule screen: version history, export menu, change-detection banner.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { trips, type ChangeCheck, type ExportFormat } from '../../api/endpoints';
import type { DayView, VersionsView } from '../../api/types';
import { fmtDate, fmtDateTime, t, tOr, useLang } from '../../i18n';
import { Alert, ErrorState, Loading, errorText } from '../../components/ui';
import { fileNameFromDisposition, saveBlob } from '../../lib/download';
import { useAsync } from '../../lib/useAsync';

export function VersionsPanel({
  tripId,
  day,
  onRestored,
  onClose,
}: {
  tripId: string;
  day: number;
  onRestored: (d: DayView) => void;
  onClose: () => void;
}) {
  const lang = useLang(); // server texts follow the UI's language
  const v = useAsync<VersionsView>(() => trips.versions(tripId, day), [tripId, day, lang]);
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<string>();
  return (
    <section class="card panel" aria-labelledby="versions-title">
      <div class="panel-head">
        <h2 id="versions-title">{t('sched.versions', { n: day })}</h2>
        <button type="button" class="btn btn-link" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      {error && <Alert>{error}</Alert>}
      {v.loading && !v.data ? (
        <Loading />
      ) : v.error !== undefined ? (
        <ErrorState error={v.error} onRetry={v.reload} />
      ) : !v.data?.versions.length ? (
        <p class="empty">{t('sched.noVersions')}</p>
      ) : (
        <ol class="versions">
          {v.data.versions.map((x) => (
            <li class={x.current ? 'current' : ''}>
              <div>
                <strong>{t('sched.version', { n: x.version })}</strong>{' '}
                <span class="tag">{tOr(`source.${x.source}`, x.source)}</span>{' '}
                {x.current && <span class="badge">{t('sched.current')}</span>}
                <br />
                <small class="muted">
                  {fmtDateTime(x.createdAt)} · {t('sched.stops', { n: x.stopCount })}
                </small>
                <br />
                <small>{x.plan.stops.map((s) => s.name).join(' → ')}</small>
              </div>
              {!x.current && (
                <button
                  type="button"
                  class="btn btn-secondary"
                  disabled={busy !== undefined}
                  aria-busy={busy === x.version}
                  onClick={async () => {
                    setBusy(x.version);
                    setError(undefined);
                    try {
                      onRestored(await trips.restore(tripId, day, x.version));
                    } catch (e) {
                      setError(errorText(e));
                    } finally {
                      setBusy(undefined);
                    }
                  }}
                >
                  {t('sched.restore')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const FORMATS: ExportFormat[] = ['pdf', 'png', 'ics', 'gpx'];

export function ExportPanel({
  tripId,
  tripName,
  days,
  current,
  onClose,
}: {
  tripId: string;
  tripName: string;
  days: number;
  current: number;
  onClose: () => void;
}) {
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const [scope, setScope] = useState<'all' | 'day'>('all');
  const [includeMap, setIncludeMap] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body = {
        format,
        days: scope === 'day' ? [current] : Array.from({ length: days }, (_, i) => i + 1),
        includeMap: format === 'pdf' ? includeMap : undefined,
      };
      const { blob, disposition } = await trips.export(tripId, body);
      const name = fileNameFromDisposition(disposition, `${tripName || 'trip'}.${format === 'png' && body.days.length > 1 ? 'zip' : format}`);
      saveBlob(blob, name);
      setDone(name);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND' ? t('export.unavailable') : errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card panel" aria-labelledby="export-title">
      <div class="panel-head">
        <h2 id="export-title">{t('export.title')}</h2>
        <button type="button" class="btn btn-link" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      <form onSubmit={submit}>
        <fieldset class="segmented">
          <legend>{t('export.format')}</legend>
          {FORMATS.map((f) => (
            <label>
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              {t(`export.${f}` as 'export.pdf')}
            </label>
          ))}
        </fieldset>
        <fieldset class="segmented">
          <legend>{t('export.days')}</legend>
          <label>
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            {t('export.allDays', { n: days })}
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === 'day'} onChange={() => setScope('day')} />
            {t('sched.day', { n: current })}
          </label>
        </fieldset>
        {format === 'pdf' && (
          <label class="check">
            <input type="checkbox" checked={includeMap} onChange={(e) => setIncludeMap((e.currentTarget as HTMLInputElement).checked)} />
            {t('export.includeMap')}
          </label>
        )}
        {error && <Alert>{error}</Alert>}
        {done && <Alert kind="ok">{t('export.done', { name: done })}</Alert>}
        <button class="btn btn-primary" type="submit" disabled={busy} aria-busy={busy}>
          {busy ? t('export.working') : t('export.submit')}
        </button>
      </form>
    </section>
  );
}

/**
 * TRIP-062: asks the server what changed since the plan was made (the server answers from
 * its stored check after the first call of the day). Hidden when nothing changed or the
 * check cannot answer. Actions per day: regenerate it, see an open place near a closed
 * stop, or keep the plan.
 */
export function ChangeBanner({
  tripId,
  onRegenerate,
  onReplace,
}: {
  tripId: string;
  onRegenerate: (day: number) => void;
  onReplace: (day: number, stopIndex: number, placeId: string) => void;
}) {
  const [check, setCheck] = useState<ChangeCheck>();
  const [kept, setKept] = useState<Set<number>>(new Set());
  const lang = useLang(); // the reasons come from the server in the UI's language
  useEffect(() => {
    let live = true;
    trips.check(tripId).then(
      (c) => live && setCheck(c),
      () => undefined, // no banner when the check cannot answer
    );
    return () => {
      live = false;
    };
  }, [tripId, lang]);
  const days = (check?.changed ? check.days : []).filter((d) => !kept.has(d.day));
  if (!days.length) return null;
  return (
    <section class="change-banner" aria-labelledby="changes-title">
      <h2 id="changes-title">{t('changes.title')}</h2>
      <ul>
        {days.map((d) => (
          <li>
            <strong>
              {t('sched.day', { n: d.day })} · {fmtDate(d.date)}
            </strong>
            <ul>
              {d.reasons.map((r) => (
                <li>{r.message}</li>
              ))}
            </ul>
            <div class="change-actions">
              {d.suggestion === 'regenerateDay' && (
                <button type="button" class="btn btn-primary" onClick={() => onRegenerate(d.day)}>
                  {t('changes.regenerate')}
                </button>
              )}
              {d.stops
                .filter((s) => s.alternative)
                .map((s) => (
                  <button type="button" class="btn btn-secondary" onClick={() => onReplace(d.day, s.stopIndex, s.alternative!.placeId)}>
                    {t('changes.replace', { from: s.name, to: s.alternative!.name })}
                  </button>
                ))}
              <button type="button" class="btn btn-link" onClick={() => setKept(new Set([...kept, d.day]))}>
                {t('changes.keep')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
