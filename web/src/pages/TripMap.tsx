import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { trips } from '../api/endpoints';
import type { RouteCollection } from '../api/types';
import { t } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { RouteMap } from '../components/RouteMap';
import { useAsync } from '../lib/useAsync';
import { appConfig, type AppConfig } from '../lib/appConfig';
import { dayColor } from '../lib/mapStyle';

export function MapBody({
  days,
  day,
  onDay,
  load,
}: {
  days: number;
  day: number;
  onDay: (d: number) => void;
  load: (day: number) => Promise<RouteCollection>;
}) {
  const [cfg, setCfg] = useState<AppConfig>();
  useEffect(() => {
    appConfig().then(setCfg);
  }, []);
  const route = useAsync(() => load(day), [day]);
  const stops = (route.data?.features ?? []).filter((f) => f.properties.kind === 'stop');
  return (
    <>
      <div class="chips day-filter" role="group" aria-label={t('map.filter')}>
        {[0, ...Array.from({ length: days }, (_, i) => i + 1)].map((d) => (
          <button type="button" class="chip-btn" aria-pressed={d === day} onClick={() => onDay(d)}>
            {d > 0 && <span class="swatch" style={{ background: dayColor(d - 1) }} aria-hidden="true" />}
            {d === 0 ? t('map.allDays') : t('sched.day', { n: d })}
          </button>
        ))}
      </div>
      {route.error !== undefined ? (
        <ErrorState error={route.error} onRetry={route.reload} />
      ) : !route.data || !cfg ? (
        <Loading />
      ) : (
        <>
          <RouteMap data={route.data} tileUrl={cfg.tileUrl} styleUrl={cfg.styleUrl} label={t('map.label')} />
          {stops.length === 0 ? (
            <p class="empty">{t('map.empty')}</p>
          ) : (
            <ol class="map-list">
              {stops.map((f) => (
                <li>
                  <span class="num" style={{ background: dayColor(f.properties.colorIndex, f.properties.day) }}>
                    {f.properties.number}
                  </span>
                  <span>
                    {f.properties.name}
                    <small class="muted">
                      {' '}
                      {t('sched.day', { n: f.properties.day })} · {f.properties.start}–{f.properties.end}
                    </small>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </>
  );
}

export function TripMap() {
  const { params } = useRoute();
  const { url, route } = useLocation();
  const id = params.id as string;
  const trip = useAsync(() => trips.get(id), [id]);
  const q = Number(new URL(url, 'http://x').searchParams.get('day') ?? 0);
  const day = Number.isInteger(q) && q > 0 ? q : 0;
  if (trip.loading && !trip.data) return <Loading />;
  if (trip.error !== undefined) return <ErrorState error={trip.error} onRetry={trip.reload} />;
  const tr = trip.data!;
  return (
    <section class="page">
      <p class="eyebrow">
        <a href={`/trips/${id}/schedule${day ? `?day=${day}` : ''}`}>← {t('sched.title')}</a>
      </p>
      <PageTitle>{t('map.title', { name: tr.tripName })}</PageTitle>
      <MapBody
        days={tr.schedule.days}
        day={Math.min(day, tr.schedule.days)}
        onDay={(d) => route(`/trips/${id}/map${d ? `?day=${d}` : ''}`, true)}
        load={(d) => trips.route(id, d || undefined)}
      />
    </section>
  );
}
