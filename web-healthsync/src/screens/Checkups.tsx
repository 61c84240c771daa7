// Checkup history (HS-HEALTH-020/030/050): the latest record's items in display groups and
// status colours; choosing an item opens its chart over the years on the shaded bands for
// the user's sex; checkup documents can be uploaded, listed, downloaded and deleted.
import { useState } from 'preact/hooks';
import { api, ApiError, authFetch, toApiError } from '../api/client';
import type { CheckupFile, CheckupHistory, CheckupItem, LinkInfo } from '../api/types';
import { useAsync } from '../lib/useAsync';
import { bandText, CODED, groupItems } from '../lib/checkup';
import { TrendChart } from '../components/TrendChart';
import { Card, ErrorBox, Loading, RiskBadge, SampleNotice, StatusBadge } from '../components/ui';
import { fmtDateTime, fmtNumber, t, tOr, useLang } from '../i18n';

function valueText(i: CheckupItem): string {
  if (CODED.has(i.code)) return tOr(`code.${i.code}.${i.value}`, String(i.value));
  // Vision is a plain decimal (0.1–2.5): no unit to show.
  const unit = i.unit === 'decimal' || i.unit === 'code' ? '' : ` ${i.unit}`;
  return `${fmtNumber(i.value, i.value % 1 ? 1 : 0)}${unit}`;
}

export function Checkups() {
  const lang = useLang();
  const history = useAsync(() => api<CheckupHistory>('health/checkups', { query: { limit: 5 } }), [lang]);
  const latest = useAsync(() => api<{ link?: LinkInfo }>('health/checkups/latest'), []);
  const [open, setOpen] = useState<string | null>(null);
  const records = history.data?.records ?? [];
  const last = records[records.length - 1];

  return (
    <>
      <h1 tabIndex={-1}>{t('checkups.title')}</h1>
      {history.loading && !history.data ? (
        <Loading />
      ) : !last ? (
        history.error?.code === 'CHECKUP_NOT_FOUND' || (history.data && !records.length) ? (
          <p>{t('home.noCheckup')}</p>
        ) : (
          <ErrorBox error={history.error} retry={history.reload} />
        )
      ) : (
        <>
          <p class="summary">
            {t('checkups.summary', { year: last.referenceYear, score: last.healthScore, n: records.length })} <RiskBadge level={last.riskLevel} />
          </p>
          <SampleNotice notice={latest.data?.link?.notice} />
          {groupItems(last.items).map((g) => (
            <Card key={g.key} title={t(g.key)} id={`g-${g.key.replace('.', '-')}`} actions={<StatusBadge status={g.worst} />}>
              <ul class="items">
                {g.items.map((i) => {
                  const series = history.data?.series[i.code] ?? [];
                  const expanded = open === i.code;
                  return (
                    <li key={i.code} class={`item status-${i.status ?? 'none'}`}>
                      <button type="button" class="item-row" aria-expanded={expanded} aria-controls={`chart-${i.code}`} onClick={() => setOpen(expanded ? null : i.code)} disabled={series.length === 0}>
                        <span class="item-name">{i.name}</span>
                        <span class="item-value">{valueText(i)}</span>
                        <StatusBadge status={i.status} />
                      </button>
                      {i.bands && i.status && (
                        <p class="bands muted">
                          {t('status.normal')} {i.bands.normal.map(bandText).join(', ') || '–'}
                        </p>
                      )}
                      {expanded && (
                        <div id={`chart-${i.code}`}>
                          <TrendChart name={i.name} unit={i.unit} points={series} bands={history.data?.bands[i.code] ?? i.bands} />
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            </Card>
          ))}
          {last.notMeasured.length > 0 && <p class="muted">{t('checkups.notMeasured', { n: last.notMeasured.length })}</p>}
        </>
      )}
      <Files />
    </>
  );
}

function Files() {
  const files = useAsync(() => api<{ items: CheckupFile[] }>('health/checkup-files'), []);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const upload = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(undefined);
    const form = new FormData();
    form.append('file', file);
    try {
      await api('health/checkup-files', { method: 'POST', form });
      files.reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      input.value = '';
      setBusy(false);
    }
  };
  const download = async (f: CheckupFile) => {
    const res = await authFetch(`health/checkup-files/${f.fileId}`);
    if (!res.ok) return setError(await toApiError(res));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = f.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const remove = async (f: CheckupFile) => {
    if (!confirm(t('files.confirmDelete', { name: f.fileName }))) return;
    try {
      await api(`health/checkup-files/${f.fileId}`, { method: 'DELETE' });
      files.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };

  return (
    <Card title={t('files.title')} id="files">
      <p class="hint">{t('files.hint')}</p>
      <label class="btn secondary file-btn">
        {t('files.upload')}
        <input type="file" accept="application/pdf,image/jpeg,image/png" class="sr-only" onChange={upload} disabled={busy} />
      </label>
      <ErrorBox error={error} />
      {files.data && files.data.items.length === 0 && <p class="muted">{t('files.none')}</p>}
      <ul class="files">
        {files.data?.items.map((f) => (
          <li key={f.fileId}>
            <button type="button" class="link" onClick={() => download(f)}>
              {f.fileName}
            </button>
            <span class="muted">
              {fmtNumber(f.sizeBytes / 1024)} KB · {fmtDateTime(f.uploadedAt)}
            </span>
            <button type="button" class="btn small danger" onClick={() => remove(f)}>
              {t('app.delete')}
              <span class="sr-only">: {f.fileName}</span>
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
