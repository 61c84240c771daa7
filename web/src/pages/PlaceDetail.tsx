// Place detail (LOC-030): hours now/today/week, contact, map keywords, directions, the
// AI-020 recommendation for the current trip (only when the service answers) and reviews
// (only when a provider has them — OSM has none, so the section is usually absent).
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ai, locations, type Recommendation } from '../api/endpoints';
import type { PlaceDetail as Detail } from '../api/types';
import { catLabel, fmtNumber, t, tOr, useLang } from '../i18n';
import { ErrorState, Loading } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { useAsync } from '../lib/useAsync';
import { HoursCard, nextChangeText } from './placeHours';
import { placeName } from './Nearby';

function addressText(a: Record<string, string | null | undefined>): string {
  if (a.full) return a.full;
  const street = [a.street, a.housenumber].filter(Boolean).join(' ');
  const city = [a.postcode, a.city].filter(Boolean).join(' ');
  return [street, city, a.country].filter(Boolean).join(', ');
}

function Recommendations({ pid, tripId }: { pid: string; tripId: string }) {
  const [rec, setRec] = useState<Recommendation | null>();
  const lang = useLang(); // the texts come from the server in the UI's language
  useEffect(() => {
    let live = true;
    ai.recommendations(pid, tripId).then(
      (r) => live && setRec(r),
      () => live && setRec(null), // the AI context is not running or cannot answer: no section
    );
    return () => {
      live = false;
    };
  }, [pid, tripId, lang]);
  if (rec === undefined) return <Loading />;
  if (!rec) return null;
  const tips = rec.tips;
  return (
    <section class="card rec" aria-labelledby="rec-title">
      <h2 id="rec-title">
        {t('place.recommend')} <span class="badge">{t('place.fit', { n: rec.fit })}</span>
      </h2>
      {rec.summary && <p>{rec.summary}</p>}
      {rec.reasons.length > 0 && (
        <>
          <h3>{t('place.why')}</h3>
          <ul class="reasons">
            {rec.reasons.map((r) => (
              <li class={r.positive ? 'pos' : 'neg'}>
                <span aria-hidden="true">{r.positive ? '✓' : '!'}</span> {r.text}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('place.tips')}</h3>
      <dl class="facts">
        <dt>{t('place.bestTime')}</dt>
        <dd>{tips.bestTime.text}</dd>
        <dt>{t('place.duration')}</dt>
        <dd>{tips.duration}</dd>
        <dt>{t('place.access')}</dt>
        <dd>{tips.accessibility}</dd>
        <dt>{t('place.weather')}</dt>
        <dd>{tips.weather}</dd>
        {tips.alternative && (
          <>
            <dt>{t('place.alternative')}</dt>
            <dd>
              <a href={`/places/${encodeURIComponent(tips.alternative.placeId)}?trip=${encodeURIComponent(tripId)}`}>{tips.alternative.name}</a>{' '}
              <small class="muted">{tips.alternative.text}</small>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function PlaceDetail() {
  const { params } = useRoute();
  const { url } = useLocation();
  const pid = decodeURIComponent(params.pid as string);
  const tripId = new URL(url, 'http://x').searchParams.get('trip') ?? undefined;
  const d = useAsync<Detail>(() => locations.place(pid), [pid]);
  if (d.loading && !d.data) return <Loading />;
  if (d.error !== undefined) return <ErrorState error={d.error} onRetry={d.reload} />;
  const x = d.data!;
  const p = x.place;
  const name = placeName(p.names);
  const h = x.hours;
  const addr = addressText(p.address);
  return (
    <section class="page place">
      <p class="eyebrow">
        <a href={tripId ? `/trips/${tripId}/schedule` : '/nearby'} onClick={(e) => {
          if (history.length > 1) {
            e.preventDefault();
            history.back();
          }
        }}>
          ← {t('app.back')}
        </a>
      </p>
      <PageTitle>{name}</PageTitle>
      {name !== p.names.local && <p class="muted">{p.names.local}</p>}
      <p>
        <span class="tag">{catLabel(p.category)}</span>{' '}
        <span class={`hours-state hours-${h.state}`}>{t(`place.state.${h.state}`)}</span>
        {nextChangeText(h) && <small class="muted"> · {nextChangeText(h)}</small>}
        {x.rating != null && (
          <span>
            {' · '}★ {fmtNumber(x.rating, 1)}
            {x.reviewCount != null && ` (${fmtNumber(x.reviewCount)})`}
          </span>
        )}
      </p>
      {addr && <p>{addr}</p>}
      <div class="actions place-actions">
        <a class="btn btn-primary" href={x.directionsUrl} target="_blank" rel="noopener">
          {t('sched.directions')}
        </a>
        <a
          class="btn btn-secondary"
          href={`/nearby?place=${encodeURIComponent(p.id)}&name=${encodeURIComponent(name)}${tripId ? `&trip=${tripId}` : ''}`}
        >
          {t('place.nearby')}
        </a>
      </div>

      <HoursCard h={h} pid={p.id} tripId={tripId} />

      {tripId && <Recommendations pid={p.id} tripId={tripId} />}

      <section class="card" aria-labelledby="info-title">
        <h2 id="info-title">{t('place.info')}</h2>
        <dl class="facts">
          {p.phone && (
            <>
              <dt>{t('place.phone')}</dt>
              <dd>
                <a href={`tel:${p.phone.replace(/\s+/g, '')}`}>{p.phone}</a>
              </dd>
            </>
          )}
          {p.website && /^https?:\/\//.test(p.website) && (
            <>
              <dt>{t('place.website')}</dt>
              <dd>
                <a href={p.website} target="_blank" rel="noopener nofollow">
                  {p.website.replace(/^https?:\/\//, '')}
                </a>
              </dd>
            </>
          )}
          <dt>{t('place.visit')}</dt>
          <dd>{t('sched.min', { n: p.visitMinutes })}</dd>
          <dt>{t('place.access')}</dt>
          <dd>{tOr(`place.wheelchair.${p.wheelchair}`, p.wheelchair)}</dd>
          <dt>{t('place.searchKeyword')}</dt>
          <dd>{x.searchKeyword}</dd>
          <dt>{t('place.parkingKeyword')}</dt>
          <dd>{x.parkingKeyword}</dd>
          {p.cuisine.length > 0 && (
            <>
              <dt>{t('place.cuisine')}</dt>
              <dd>{p.cuisine.join(', ')}</dd>
            </>
          )}
        </dl>
        {!p.phone && !p.website && <p class="muted small">{t('place.noContact')}</p>}
      </section>

      {x.reviews && x.reviews.length > 0 && (
        <section class="card" aria-labelledby="reviews-title">
          <h2 id="reviews-title">{t('place.reviews')}</h2>
          <ul>
            {x.reviews.slice(0, 5).map((r) => (
              <li>
                {r.rating != null && <>★ {r.rating} </>}
                {r.text} {r.author && <small class="muted">— {r.author}</small>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p class="small muted">{x.attribution}</p>
    </section>
  );
}
