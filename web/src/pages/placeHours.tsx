// Opening hours on a place page: the days the trip visits the place (with the planned visit)
// and today; the week only when the page is not opened from a trip. A place open around the
// clock says so plainly instead of "changes at 00:00".
import { locations, trips } from '../api/endpoints';
import type { DaySchedule, Hours, MinuteRange } from '../api/types';
import { fmtDate, getLang, t } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { hhmm } from '../lib/time';
import { useAsync } from '../lib/useAsync';

/** `HH:MM`, with 1440 as `24:00` (a range's exclusive end at midnight). */
export function clock(m: number): string {
  if (m >= 1440) return '24:00';
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Open from midnight to midnight with nothing unknown. */
export function allDay(d: DaySchedule): boolean {
  return d.open.length === 1 && d.open[0].start <= 0 && d.open[0].end >= 1440 && d.unknown.length === 0;
}

export function rangesText(d: DaySchedule): string {
  if (allDay(d)) return t('place.open24');
  if (!d.open.length && !d.unknown.length) return t('place.closedAllDay');
  const parts = d.open.map((r: MinuteRange) => `${clock(r.start)}–${clock(r.end)}`);
  if (d.unknown.length && !d.open.length) return t('place.hoursUnknown');
  if (d.unknown.length) parts.push(t('place.partlyUnknown'));
  return parts.join(', ');
}

/** "changes at 12:00" — or nothing, for a place open all day today (its next "change" is
 * only the date turning at midnight). */
export function nextChangeText(h: Hours): string | undefined {
  if (!h.nextChange || allDay(h.today)) return undefined;
  return t('place.until', { time: h.nextChange.slice(11, 16) || h.nextChange });
}

const weekday = (iso: string) =>
  new Intl.DateTimeFormat(getLang() === 'ko' ? 'ko-KR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

interface PlannedDay {
  day: number;
  hours: DaySchedule;
  start: number;
  end: number;
}

/** The trip's days that visit the place, each with the place's hours on that date. */
async function plannedDays(tripId: string, pid: string): Promise<PlannedDay[]> {
  const s = await trips.schedules(tripId);
  const visits = s.days.flatMap((d) => d.stops.filter((x) => x.placeId === pid).map((x) => ({ day: d.day, date: d.date, start: x.start, end: x.end })));
  return Promise.all(
    visits.map(async (v) => {
      const h = await locations.hours(pid, v.date);
      return { day: v.day, hours: h.week.find((w) => w.date === v.date) ?? h.today, start: v.start, end: v.end };
    }),
  );
}

function Row({ d, extra, today }: { d: DaySchedule; extra?: string; today?: boolean }) {
  return (
    <tr class={today ? 'today' : ''}>
      <th scope="row">
        {extra && <>{extra} · </>}
        {weekday(d.date)} <small class="muted">{fmtDate(d.date)}</small>
      </th>
      <td>{rangesText(d)}</td>
    </tr>
  );
}

export function HoursCard({ h, pid, tripId }: { h: Hours; pid: string; tripId?: string }) {
  const trip = useAsync(() => (tripId ? plannedDays(tripId, pid) : Promise.resolve([])), [tripId, pid]);
  return (
    <section class="card" aria-labelledby="hours-title">
      <h2 id="hours-title">{t('place.hours')}</h2>
      <p>
        <strong>{t('place.today')}</strong> {rangesText(h.today)}
      </p>
      {tripId ? (
        trip.error !== undefined ? (
          <ErrorState error={trip.error} onRetry={trip.reload} />
        ) : !trip.data ? (
          <Loading />
        ) : trip.data.length > 0 ? (
          <table class="week trip-days">
            <caption class="cap">{t('place.onTrip')}</caption>
            <tbody>
              {trip.data.map((p) => (
                <>
                  <Row d={p.hours} extra={t('sched.day', { n: p.day })} today={p.hours.date === h.today.date} />
                  <tr class="visit">
                    <td colSpan={2} class="muted small">
                      {t('place.planned', { from: hhmm(p.start), to: hhmm(p.end) })}
                    </td>
                  </tr>
                </>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">{t('place.notOnTrip')}</p>
        )
      ) : (
        <table class="week">
          <caption class="sr-only">{t('place.week')}</caption>
          <tbody>
            {h.week.map((w) => (
              <Row d={w} today={w.date === h.today.date} />
            ))}
          </tbody>
        </table>
      )}
      {h.openingHours && (
        <p class="small muted">
          {t('place.raw')} <code>{h.openingHours}</code>
          {h.malformed && ` (${t('place.malformed')})`}
        </p>
      )}
      <p class="small muted">{t('place.tz', { tz: h.timeZone, time: h.localTime.slice(0, 16).replace('T', ' ') })}</p>
    </section>
  );
}
