import { trips } from '../api/endpoints';
import { getUser } from '../api/session';
import type { SummarySection, TripCard } from '../api/types';
import { fmtDate, t } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { useAsync } from '../lib/useAsync';
import { STEPS } from '../lib/wizard';
import { cityName, useCityNames } from '../lib/cityNames';

const STEP_PATH: Record<number, string> = { 1: 'basic', 2: 'destinations', 3: 'generate', 4: 'schedule' };

/** Where a card leads: planning trips continue at their wizard step, others show the schedule. */
export function tripHref(c: Pick<TripCard, 'id' | 'status' | 'step'>): string {
  const step = c.status === 'planning' ? STEP_PATH[c.step ?? 1] ?? 'basic' : 'schedule';
  return `/trips/${c.id}/${step}`;
}

/** The generated cover (TRIP-020): a gradient from the server's hues with the initials. */
export function Cover({ c }: { c: Pick<TripCard, 'cover'> }) {
  const { hue, hue2, initials, pattern } = c.cover;
  return (
    <span
      class={`cover cover-${pattern}`}
      aria-hidden="true"
      style={{ background: `linear-gradient(135deg, hsl(${hue} 55% 42%), hsl(${hue2} 60% 35%))` }}
    >
      {initials}
    </span>
  );
}

/** The card badge in the user's language: D+n as is, the wizard step, or "completed". */
export function badgeText(c: Pick<TripCard, 'status' | 'step' | 'badge'>): string {
  if (c.status === 'completed') return t('dash.completed');
  if (c.status === 'planning' && c.step && STEPS[c.step - 1]) return t(`wizard.${STEPS[c.step - 1]}`);
  return c.badge;
}

function progressText(c: TripCard): string {
  if (c.status === 'planning' && c.step) return t('trip.stepOf', { n: c.step, of: STEPS.length });
  if (c.status === 'completed') return t('dash.completed');
  return c.progress.label;
}

/** The bar says what the text says: "Step 2 of 4" fills half of it, "Step 4 of 4" all. */
export function progressPercent(c: Pick<TripCard, 'status' | 'step' | 'progress'>): number {
  const p = c.status === 'planning' && c.step ? (c.step / STEPS.length) * 100 : c.status === 'completed' ? 100 : c.progress.percent;
  return Math.max(0, Math.min(100, Math.round(p)));
}

export function Card({ c }: { c: TripCard }) {
  useCityNames();
  const dates = c.startDate && c.endDate ? `${fmtDate(c.startDate)} – ${fmtDate(c.endDate)}` : t('dash.noDates');
  return (
    <li class="trip-card">
      <a href={tripHref(c)}>
        <Cover c={c} />
        <span class="trip-card-head">
          <strong>{c.tripName}</strong>
          <span class="badge">{badgeText(c)}</span>
        </span>
        <span class="muted">{c.cities.length ? c.cities.map(cityName).join(' · ') : '—'}</span>
        <span class="muted">
          {dates} · {t('dash.members', { n: c.memberCount })}
        </span>
        <span class="progress" role="img" aria-label={progressText(c)}>
          <span style={{ width: `${progressPercent(c)}%` }} />
        </span>
        <small class="muted">{progressText(c)}</small>
      </a>
    </li>
  );
}

function Section({ id, s }: { id: 'ongoing' | 'planning' | 'completed'; s: SummarySection }) {
  return (
    <section class="dash-section" aria-labelledby={`sec-${id}`}>
      <h2 id={`sec-${id}`}>
        {t(`dash.${id}`)} <span class="count">{s.count}</span>
        {s.count > 0 && (
          <a class="view-all" href={`/trips?status=${id}`}>
            {t('dash.viewAll')}
          </a>
        )}
      </h2>
      {s.items.length ? (
        <ul class="trip-list">
          {(s.items as TripCard[]).map((c) => (
            <Card key={c.id} c={c} />
          ))}
        </ul>
      ) : (
        <p class="empty">{t(`dash.empty.${id}`)}</p>
      )}
    </section>
  );
}

export function Dashboard() {
  useCityNames();
  const sum = useAsync(() => trips.summary(), []);
  const user = getUser();
  return (
    <section class="page">
      <div class="page-title">
        {user && <p class="eyebrow">{t('dash.hello', { name: user.name })}</p>}
        <h1 tabIndex={-1}>{t('dash.title')}</h1>
      </div>
      <div class="banners">
        <a class="banner banner-primary" href="/trips/new">
          <strong>{t('dash.newTrip')}</strong>
          <span>{t('dash.newTripText')}</span>
        </a>
        <a class="banner" href="/nearby">
          <strong>{t('dash.nearby')}</strong>
          <span>{t('dash.nearbyText')}</span>
        </a>
      </div>
      {sum.loading && !sum.data && <Loading />}
      {sum.error !== undefined && <ErrorState error={sum.error} onRetry={sum.reload} />}
      {sum.data && (
        <>
          <Section id="ongoing" s={sum.data.ongoing} />
          <Section id="planning" s={sum.data.planning} />
          <Section id="completed" s={sum.data.completed} />
        </>
      )}
    </section>
  );
}
