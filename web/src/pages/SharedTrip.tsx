// A shared trip, read-only, without signing in (share link `/shared/{token}`).
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import { fmtDate, t, useLang } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { useAsync } from '../lib/useAsync';
import { DayHeader, DayTabs } from './Schedule';
import { Timeline } from './schedule/Timeline';
import { MapBody } from './TripMap';

export function SharedTrip() {
  const { params } = useRoute();
  const token = params.token as string;
  const trip = useAsync(() => trips.shared(token), [token]);
  const lang = useLang(); // server texts follow the UI's language
  const sched = useAsync(() => trips.sharedSchedules(token), [token, lang]);
  const [sel, setSel] = useState(0);
  const [map, setMap] = useState<number>();
  if ((trip.loading && !trip.data) || (sched.loading && !sched.data)) return <Loading />;
  const err = trip.error ?? sched.error;
  // An expired link will not come back: say so in the reader's language, offer no retry.
  if (err instanceof ApiError && err.code === 'SHARE_EXPIRED')
    return (
      <div class="state state-error" role="alert">
        <p>{t('share.expired')}</p>
      </div>
    );
  if (err !== undefined) return <ErrorState error={err} onRetry={trip.reload} />;
  const tr = trip.data!;
  const days = sched.data!.days;
  const d = days[Math.min(sel, days.length - 1)];
  return (
    <section class="page">
      <p class="eyebrow">{t('share.readOnly')}</p>
      <PageTitle>{tr.tripName}</PageTitle>
      <p class="muted">
        <span class="nowrap">{tr.startDate && tr.endDate ? `${fmtDate(tr.startDate)} – ${fmtDate(tr.endDate)}` : t('dash.noDates')}</span> ·{' '}
        {tr.destinations.map((x) => x.destinationName).join(' → ')} · <span class="nowrap">{t('dash.members', { n: tr.memberCount })}</span>
      </p>
      {!days.length ? (
        <p class="empty">{t('sched.empty')}</p>
      ) : (
        <>
          <DayTabs days={days} sel={sel} onSelect={setSel} />
          <div class="toolbar">
            <button type="button" class="btn btn-secondary" aria-expanded={map !== undefined} onClick={() => setMap(map === undefined ? d.day : undefined)}>
              {t('sched.map')}
            </button>
          </div>
          {map !== undefined && (
            <MapBody days={days.length} day={map} onDay={setMap} load={(x) => trips.sharedRoute(token, x || undefined)} />
          )}
          <div id="day-panel" role="tabpanel" aria-labelledby={`tab-${sel}`} tabIndex={0}>
            <DayHeader d={d} />
            <Timeline d={d} tripId="" readOnly />
          </div>
        </>
      )}
    </section>
  );
}
