import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import type { DayView, JobStatus, ScheduleView } from '../api/types';
import { fmtDate, t, tOr, useLang } from '../i18n';
import { Alert, ErrorState, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { WizardSteps } from '../components/WizardSteps';
import { useAsync } from '../lib/useAsync';
import { followGeneration } from '../lib/follow';
import { idsWithout, isRejectedEdit, reorderedIds, type RejectedEdit, warningsByStop } from '../lib/reorder';
import { Timeline } from './schedule/Timeline';
import { ChangeBanner, ExportPanel, VersionsPanel } from './schedule/Panels';
import { SharePanel } from './schedule/SharePanel';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { lazyPage } from '../lib/lazyPage';
import { useWide } from '../lib/useWide';
import { cityName, useCityNames } from '../lib/cityNames';

// Leaflet only on screens wide enough to show the map beside the schedule.
const SideMap = lazyPage(() => import('./schedule/SideMap').then((m) => m.SideMap));

const SKY: Record<string, string> = { clear: '☀', cloudy: '☁', rain: '🌧', snow: '❄', storm: '⛈' };

export function weatherLine(d: DayView): string {
  const w = d.weather;
  if (!w) return '';
  const temp =
    w.minTempC != null && w.maxTempC != null ? ` ${Math.round(w.minTempC)}°/${Math.round(w.maxTempC)}°` : '';
  return `${SKY[w.sky] ?? ''}${temp}`;
}

export function DayTabs({ days, sel, onSelect }: { days: DayView[]; sel: number; onSelect: (i: number) => void }) {
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  function onKey(e: KeyboardEvent) {
    const n = days.length;
    let next = sel;
    if (e.key === 'ArrowRight') next = (sel + 1) % n;
    else if (e.key === 'ArrowLeft') next = (sel - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else return;
    e.preventDefault();
    onSelect(next);
    tabs.current[next]?.focus();
  }
  return (
    <div class="tabs" role="tablist" aria-label={t('sched.title')} onKeyDown={onKey}>
      {days.map((x, i) => (
        <button
          ref={(el) => {
            tabs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${i}`}
          aria-selected={i === sel}
          aria-controls="day-panel"
          tabIndex={i === sel ? 0 : -1}
          onClick={() => onSelect(i)}
        >
          <span class="tab-day">{t('sched.day', { n: x.day })}</span>
          <small class="tab-sub">
            {fmtDate(x.date)} {weatherLine(x)}
          </small>
        </button>
      ))}
    </div>
  );
}

export function DayHeader({ d }: { d: DayView }) {
  useCityNames();
  const { general } = warningsByStop(d);
  return (
    <>
      <h2 class="sr-only">{t('sched.dayTitle', { n: d.day })}</h2>
      <p class="muted day-line">
        {fmtDate(d.date)} · {cityName(d.city ?? '')}
        {d.weather && (
          <>
            {' · '}
            <span>
              {weatherLine(d)} {tOr(`sky.${d.weather.sky}`, d.weather.sky)}
            </span>
          </>
        )}
        {' · '}
        {t('sched.walking', { km: (d.walkingMetres / 1000).toFixed(1), kcal: d.walkingKcal })}
      </p>
      {(general.length > 0 || (d.weatherNotes?.length ?? 0) > 0) && (
        <ul class="notes">
          {d.weatherNotes?.map((n) => <li>{n}</li>)}
          {general.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      )}
    </>
  );
}

interface Pending {
  day: number;
  ids: string[];
  edit: RejectedEdit;
}

export function Schedule() {
  const { params } = useRoute();
  const { url } = useLocation();
  const id = params.id as string;
  const trip = useAsync(() => trips.get(id), [id]);
  const lang = useLang(); // reasons and warnings come from the server in the UI's language
  const sched = useAsync(() => trips.schedules(id), [id, lang]);
  const [view, setView] = useState<ScheduleView>();
  const [sel, setSel] = useState(() => {
    const q = new URL(url, 'http://x').searchParams.get('day');
    return q ? Math.max(0, Number(q) - 1) : 0;
  });
  const [pending, setPending] = useState<Pending>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error' | 'info'; text: string }>();
  const [panel, setPanel] = useState<'versions' | 'export' | 'share'>();
  const [regen, setRegen] = useState<{ day: number; status?: JobStatus }>();
  /** The day whose regeneration waits for the traveller's yes (it spends one of the day's). */
  const [askRegen, setAskRegen] = useState<number>();
  const ctl = useRef<AbortController>();
  const wide = useWide();

  useEffect(() => {
    if (sched.data) setView(sched.data);
  }, [sched.data]);
  useEffect(() => () => ctl.current?.abort(), []);

  if (sched.loading && !view && !sched.data) return <Loading />;
  if (sched.error !== undefined && !view) return <ErrorState error={sched.error} onRetry={sched.reload} />;
  const days = (view ?? sched.data)?.days ?? [];
  const title = trip.data?.tripName ?? t('sched.title');
  if (!days.length)
    return (
      <section class="page">
        <PageTitle>{title}</PageTitle>
        <p class="empty">{t('sched.empty')}</p>
        <a class="btn btn-primary" href={`/trips/${id}/generate`}>
          {t('sched.generate')}
        </a>
      </section>
    );

  const idx = Math.min(sel, days.length - 1);
  const stored = days[idx];
  const shown = pending && pending.day === stored.day ? pending.edit.day : stored;
  /** Regenerations allowed per day and left for this day, as the server counts them (TRIP-070). */
  const limit = (view ?? sched.data)?.regenerationLimit ?? 0;
  const remaining = stored.regenerationsLeft;

  function replaceDay(d: DayView) {
    setView((v) => {
      const cur = v ?? sched.data;
      return cur ? { ...cur, days: cur.days.map((x) => (x.day === d.day ? d : x)) } : cur;
    });
  }

  /** Saves the new order; `revert` is the day as stored, put back when the server refuses. */
  async function save(day: number, ids: string[], force = false, revert?: DayView) {
    setSaving(true);
    setNotice(undefined);
    try {
      const d = await trips.editDay(id, day, ids, force);
      replaceDay(d);
      setPending(undefined);
      setNotice({ kind: 'ok', text: force ? t('sched.savedAnyway') : t('sched.saved') });
    } catch (e) {
      if (revert) replaceDay(revert);
      if (e instanceof ApiError && e.code === 'SCHEDULE_RULES_VIOLATED' && isRejectedEdit(e.extra)) {
        setPending({ day, ids, edit: e.extra });
      } else {
        setNotice({ kind: 'error', text: errorText(e) });
      }
    } finally {
      setSaving(false);
    }
  }

  function reorder(from: number, to: number) {
    const base = shown;
    const ids = reorderedIds(base.stops, from, to);
    // Shown at once in the new order; the server's answer brings the new times and legs.
    const moved = ids.map((pid) => base.stops.find((s) => s.placeId === pid)!);
    if (!pending) replaceDay({ ...base, stops: moved });
    void save(stored.day, ids, false, pending ? undefined : stored);
  }

  function remove(index: number) {
    const s = shown.stops[index];
    if (!window.confirm(t('sched.confirmDelete', { name: s.name }))) return;
    void save(stored.day, idsWithout(shown.stops, index));
  }

  async function regenerate(day: number) {
    if (regen && !regen.status?.status.match(/completed|failed|cancelled/)) return;
    setNotice(undefined);
    setPanel(undefined);
    try {
      const acc = await trips.regenerateDay(id, day, {});
      setRegen({ day });
      ctl.current?.abort();
      const c = new AbortController();
      ctl.current = c;
      const s = await followGeneration(id, acc.requestId, (st) => setRegen({ day, status: st }), c.signal);
      if (s?.status === 'completed') {
        // The fresh schedule brings the new plan and the server's count of regenerations left.
        const fresh = await trips.schedules(id);
        setView(fresh);
        setPending(undefined);
        setNotice({ kind: 'ok', text: t('sched.regenerated', { n: day }) });
      } else if (s?.status === 'failed') {
        setNotice({ kind: 'error', text: t('gen.failed', { error: s.error ?? s.message ?? '' }) });
      }
      setRegen(undefined);
    } catch (e) {
      setRegen(undefined);
      if (e instanceof ApiError && e.code === 'REGENERATION_LIMIT') {
        setNotice({ kind: 'error', text: t('sched.regenLimit', { n: limit }) });
        // Another tab or device used them up: show the server's count.
        setView(await trips.schedules(id).catch(() => view));
      } else setNotice({ kind: 'error', text: errorText(e) });
    }
  }

  const regenBusy = !!regen;
  return (
    <section class="page page-wide">
      <WizardSteps trip={trip.data} current={4} />
      <PageTitle>{title}</PageTitle>
      <ChangeBanner
        tripId={id}
        onRegenerate={(d) => setAskRegen(d)}
        onReplace={(day, stopIndex, placeId) => {
          const target = days.find((x) => x.day === day);
          if (!target) return;
          // The alternative takes the closed stop's place in the order (the server inserts catalogue ids).
          const ids = target.stops.map((s, i) => (i === stopIndex ? placeId : s.placeId));
          setSel(days.indexOf(target));
          void save(day, ids);
        }}
      />
      <DayTabs
        days={days}
        sel={idx}
        onSelect={(i) => {
          setSel(i);
          setPanel(panel === 'versions' ? undefined : panel);
        }}
      />
      <div class="toolbar">
        <a class="btn btn-secondary" href={`/trips/${id}/map?day=${stored.day}`}>
          {t('sched.map')}
        </a>
        <button
          type="button"
          class="btn btn-secondary"
          disabled={regenBusy || remaining === 0}
          aria-busy={regenBusy}
          onClick={() => setAskRegen(stored.day)}
        >
          {t('sched.regenerate')}
          <small class="count">
            {t('sched.regenLeft', { n: remaining })}
          </small>
        </button>
        <button type="button" class="btn btn-secondary" aria-expanded={panel === 'versions'} onClick={() => setPanel(panel === 'versions' ? undefined : 'versions')}>
          {t('sched.history')}
        </button>
        <button type="button" class="btn btn-secondary" aria-expanded={panel === 'export'} onClick={() => setPanel(panel === 'export' ? undefined : 'export')}>
          {t('export.title')}
        </button>
        <button type="button" class="btn btn-secondary" aria-expanded={panel === 'share'} onClick={() => setPanel(panel === 'share' ? undefined : 'share')}>
          {t('share.button')}
        </button>
      </div>
      {panel === 'share' && <SharePanel tripId={id} onClose={() => setPanel(undefined)} onNotice={(kind, text) => setNotice({ kind, text })} />}
      {askRegen !== undefined && (
        <ConfirmDialog
          id="regen"
          title={t('sched.regenTitle', { n: askRegen })}
          yes={t('sched.regenerate')}
          onNo={() => setAskRegen(undefined)}
          onYes={() => {
            const d = askRegen;
            setAskRegen(undefined);
            void regenerate(d);
          }}
        >
          <p>{t('sched.regenText', { n: days.find((x) => x.day === askRegen)?.regenerationsLeft ?? 0, of: limit })}</p>
        </ConfirmDialog>
      )}
      {regen && (
        <div class="card" aria-live="polite">
          <p>
            {t('sched.regenerating', { n: regen.day })} <strong>{regen.status?.progress ?? 0}%</strong>
          </p>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={regen.status?.progress ?? 0}>
            <span style={{ width: `${regen.status?.progress ?? 0}%` }} />
          </div>
        </div>
      )}
      {panel === 'versions' && (
        <VersionsPanel
          tripId={id}
          day={stored.day}
          onClose={() => setPanel(undefined)}
          onRestored={(d) => {
            replaceDay(d);
            setPending(undefined);
            setPanel(undefined);
            setNotice({ kind: 'ok', text: t('sched.restored', { n: d.version }) });
          }}
        />
      )}
      {panel === 'export' && (
        <ExportPanel tripId={id} tripName={title} days={days.length} current={stored.day} onClose={() => setPanel(undefined)} />
      )}
      {notice && <Alert kind={notice.kind}>{notice.text}</Alert>}
      {pending && pending.day === stored.day && (
        <div class="alert alert-warn" role="alert">
          <p>
            <strong>{t('sched.violations')}</strong>
          </p>
          <ul>
            {pending.edit.violations.map((v) => (
              <li>{v.message}</li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" class="btn btn-secondary" disabled={saving} onClick={() => setPending(undefined)}>
              {t('sched.undo')}
            </button>
            <button type="button" class="btn btn-primary" disabled={saving} onClick={() => void save(pending.day, pending.ids, true)}>
              {t('sched.saveAnyway')}
            </button>
          </div>
        </div>
      )}
      <div class="schedule-cols">
        <div id="day-panel" role="tabpanel" aria-labelledby={`tab-${idx}`} tabIndex={0} aria-busy={saving}>
          <DayHeader d={shown} />
          <Timeline d={shown} tripId={id} onReorder={reorder} onDelete={remove} />
        </div>
        {wide && (
          <div class="schedule-map">
            <SideMap tripId={id} day={stored.day} stamp={stored.stops.map((s) => s.placeId).join(',')} />
          </div>
        )}
      </div>
    </section>
  );
}
