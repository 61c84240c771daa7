import { useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { trips } from '../api/endpoints';
import type { DayView, Leg, Stop } from '../api/types';
import { fmtDate, t } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { useAsync } from '../lib/useAsync';
import { hhmm } from '../lib/time';

export function distance(metres: number): string {
  return metres < 1000 ? t('sched.m', { n: Math.round(metres) }) : t('sched.km', { n: (metres / 1000).toFixed(1) });
}

function LegRow({ leg }: { leg: Leg }) {
  return (
    <li class={`leg leg-${leg.mode}`}>
      <span class="leg-mode">{t(`mode.${leg.mode}`)}</span>
      <span>{t('sched.min', { n: leg.minutes })}</span>
      <span>{distance(leg.metres)}</span>
    </li>
  );
}

function StopCard({ s }: { s: Stop }) {
  return (
    <li class={`stop stop-${s.kind}`}>
      <div class="stop-time">
        <time>{hhmm(s.start)}</time>
        <small>{t('sched.min', { n: s.end - s.start })}</small>
      </div>
      <div class="stop-body">
        <h3>{s.name}</h3>
        <p class="muted">
          <span class="tag">{t(`kind.${s.kind}`)}</span> {s.category}
          {' · '}
          {hhmm(s.start)}–{hhmm(s.end)}
        </p>
        <p class="reason">{s.reason.text}</p>
      </div>
    </li>
  );
}

function Day({ d }: { d: DayView }) {
  const items = [];
  items.push(
    <li class="anchor">
      <time>{hhmm(d.start.time)}</time> {t('sched.start')}: {d.start.name}
    </li>,
  );
  d.stops.forEach((s, i) => {
    if (d.legs[i]) items.push(<LegRow leg={d.legs[i]} />);
    items.push(<StopCard s={s} />);
  });
  if (d.legs[d.stops.length]) items.push(<LegRow leg={d.legs[d.stops.length]} />);
  items.push(
    <li class="anchor">
      <time>{hhmm(d.returnTime)}</time> {t('sched.end')}: {d.end.name}
    </li>,
  );
  return (
    <>
      <p class="muted">
        {fmtDate(d.date)} · {d.city ?? ''} · {t('sched.walking', { km: (d.walkingMetres / 1000).toFixed(1), kcal: d.walkingKcal })}
      </p>
      {(d.warnings?.length ?? 0) + (d.weatherNotes?.length ?? 0) > 0 && (
        <ul class="notes">
          {d.weatherNotes?.map((n) => <li>{n}</li>)}
          {d.warnings?.map((w) => <li>{(w as { message?: string }).message ?? JSON.stringify(w)}</li>)}
        </ul>
      )}
      <ol class="timeline">{items}</ol>
    </>
  );
}

export function Schedule() {
  const { params } = useRoute();
  const id = params.id as string;
  const trip = useAsync(() => trips.get(id), [id]);
  const sched = useAsync(() => trips.schedules(id), [id]);
  const [sel, setSel] = useState(0);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  if (sched.loading && !sched.data) return <Loading />;
  if (sched.error !== undefined) return <ErrorState error={sched.error} onRetry={sched.reload} />;
  const days = sched.data!.days;
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

  function onKey(e: KeyboardEvent) {
    const n = days.length;
    let next = sel;
    if (e.key === 'ArrowRight') next = (sel + 1) % n;
    else if (e.key === 'ArrowLeft') next = (sel - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else return;
    e.preventDefault();
    setSel(next);
    tabs.current[next]?.focus();
  }

  const d = days[Math.min(sel, days.length - 1)];
  return (
    <section class="page">
      <PageTitle step={{ n: 4, of: 4 }}>{title}</PageTitle>
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
            onClick={() => setSel(i)}
          >
            {t('sched.day', { n: x.day })}
          </button>
        ))}
      </div>
      <div id="day-panel" role="tabpanel" aria-labelledby={`tab-${sel}`} tabIndex={0}>
        <Day d={d} />
      </div>
    </section>
  );
}
