// Nearby search (LOC-010/020): origin from a place/address or the device's position, mode,
// time budget, category, keyword (highlighted in the results), sort and infinite scroll.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError } from '../api/client';
import { locations } from '../api/endpoints';
import type { NearbyBody, NearbyHit } from '../api/types';
import { catLabel, fieldMessage, fmtNumber, getLang, t } from '../i18n';
import { Alert, Field, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { highlight } from '../lib/highlight';
import { distance } from './schedule/Timeline';

const MODES = ['walk', 'transit', 'car'] as const;
const BUDGETS = [10, 30, 60] as const;
const CATEGORIES = ['all', 'sights', 'food', 'laundry'] as const;
const SORTS = ['travelTime', 'rating', 'name', 'reviewCount'] as const;
const PAGE = 20;

export function placeName(n: { local: string; en?: string | null; ko?: string | null }): string {
  return (getLang() === 'ko' ? n.ko ?? n.en : n.en) ?? n.local;
}

function Highlighted({ text, keyword }: { text: string; keyword: string }) {
  return (
    <>
      {highlight(text, keyword).map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}
    </>
  );
}

function Card({ h, keyword, trip }: { h: NearbyHit; keyword: string; trip?: string }) {
  const name = placeName(h.place.names);
  const href = `/places/${encodeURIComponent(h.place.id)}${trip ? `?trip=${encodeURIComponent(trip)}` : ''}`;
  return (
    <li class="place-card">
      <a href={href}>
        <span class="place-head">
          <strong>
            <Highlighted text={name} keyword={keyword} />
          </strong>
          <span class="travel">{t('sched.min', { n: h.travel.minutes })}</span>
        </span>
        {name !== h.place.names.local && (
          <small class="muted">
            <Highlighted text={h.place.names.local} keyword={keyword} />
          </small>
        )}
        <span class="muted small">
          <span class="tag">{catLabel(h.place.category)}</span> {distance(h.travel.metres)}
          {h.rating != null && (
            <>
              {' · '}★ {fmtNumber(h.rating, 1)}
              {h.reviewCount != null && ` (${fmtNumber(h.reviewCount)})`}
            </>
          )}
        </span>
        {h.place.address && <span class="small">{h.place.address}</span>}
      </a>
    </li>
  );
}

type OriginKind = 'query' | 'here' | 'place';

export function Nearby() {
  const { url, route } = useLocation();
  const qs = new URL(url, 'http://x').searchParams;
  const placeId = qs.get('place') ?? undefined;
  const trip = qs.get('trip') ?? undefined;
  const [kind, setKind] = useState<OriginKind>(placeId ? 'place' : 'query');
  const [query, setQuery] = useState(qs.get('q') ?? '');
  const [here, setHere] = useState<{ lat: number; lon: number }>();
  const [geoError, setGeoError] = useState<string>();
  const [mode, setMode] = useState<NearbyBody['mode']>('walk');
  const [budget, setBudget] = useState<NearbyBody['budget']>(10);
  const [category, setCategory] = useState<NearbyBody['category']>('all');
  const [keyword, setKeyword] = useState('');
  const [sort, setSort] = useState<NearbyBody['sort']>('travelTime');
  const [items, setItems] = useState<NearbyHit[]>([]);
  const [total, setTotal] = useState<number>();
  const [cursor, setCursor] = useState<string | null>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErr, setFieldErr] = useState<Record<string, string>>({});
  const [searched, setSearched] = useState<NearbyBody>();
  const ctl = useRef<AbortController>();
  const sentinel = useRef<HTMLLIElement>(null);

  function origin(): NearbyBody['origin'] | undefined {
    if (kind === 'place' && placeId) return { placeId };
    if (kind === 'here') return here;
    return query.trim() ? { query: query.trim() } : undefined;
  }

  async function run(body: NearbyBody, append: boolean) {
    ctl.current?.abort();
    const c = new AbortController();
    ctl.current = c;
    setLoading(true);
    setError(undefined);
    if (!append) setFieldErr({});
    try {
      const page = await locations.nearby(body, c.signal);
      if (c.signal.aborted) return;
      setItems((old) => (append ? [...old, ...page.items] : page.items));
      setTotal(page.total);
      setCursor(page.nextCursor ?? null);
      setSearched(body);
    } catch (e) {
      if (c.signal.aborted) return;
      if (e instanceof ApiError && e.errors.length) {
        const f: Record<string, string> = {};
        for (const x of e.errors) {
          const key = x.field.startsWith('origin') ? 'origin' : x.field;
          f[key] ??= fieldMessage(x);
        }
        setFieldErr(f);
        if (!append) setItems([]);
      }
      setError(errorText(e));
    } finally {
      if (!c.signal.aborted) setLoading(false);
    }
  }

  // Searches again whenever a filter changes (the keyword after a short pause).
  useEffect(() => {
    const o = origin();
    if (!o) return;
    const timer = setTimeout(() => {
      void run({ origin: o, mode, budget, category, keyword: keyword.trim() || undefined, sort, limit: PAGE }, false);
    }, 300);
    return () => clearTimeout(timer);
  }, [kind, here, mode, budget, category, keyword, sort, placeId]);

  // Infinite scroll: the sentinel after the last card loads the next page.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !cursor || !searched || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void run({ ...searched, cursor }, true);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [cursor, searched, loading]);

  function useHere() {
    setKind('here');
    setGeoError(undefined);
    if (!navigator.geolocation) {
      setGeoError(t('near.noGeo'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => setHere({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => setGeoError(t('near.geoDenied')),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 60_000 },
    );
  }

  function submit(e: Event) {
    e.preventDefault();
    const o = origin();
    if (!o) {
      setFieldErr({ origin: t('near.needOrigin') });
      return;
    }
    if (kind === 'query') route(`/nearby?q=${encodeURIComponent(query.trim())}${trip ? `&trip=${trip}` : ''}`, true);
    void run({ origin: o, mode, budget, category, keyword: keyword.trim() || undefined, sort, limit: PAGE }, false);
  }

  return (
    <section class="page">
      <PageTitle>{t('near.title')}</PageTitle>
      <form class="card nearby-form" onSubmit={submit} noValidate>
        <fieldset class="segmented">
          <legend>{t('near.origin')}</legend>
          {placeId && (
            <label>
              <input type="radio" name="origin" checked={kind === 'place'} onChange={() => setKind('place')} />
              {qs.get('name') ?? t('near.fromPlace')}
            </label>
          )}
          <label>
            <input type="radio" name="origin" checked={kind === 'query'} onChange={() => setKind('query')} />
            {t('near.fromQuery')}
          </label>
          <label>
            <input type="radio" name="origin" checked={kind === 'here'} onChange={useHere} />
            {t('near.here')}
          </label>
        </fieldset>
        {kind === 'query' && (
          <div class="search-row">
            <Field
              id="origin"
              label={t('near.originQuery')}
              hint={t('near.originHint')}
              value={query}
              onValue={setQuery}
              error={fieldErr.origin}
              autoComplete="off"
            />
            <button class="btn btn-primary" type="submit">
              {t('near.search')}
            </button>
          </div>
        )}
        {kind !== 'query' && fieldErr.origin && <Alert>{fieldErr.origin}</Alert>}
        {kind === 'here' && geoError && <Alert>{geoError}</Alert>}
        {kind === 'here' && !here && !geoError && <p class="muted small">{t('near.locating')}</p>}
        <fieldset class="segmented compact">
          <legend>{t('near.mode')}</legend>
          {MODES.map((m) => (
            <label>
              <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} />
              {t(`mode.${m}`)}
            </label>
          ))}
        </fieldset>
        <fieldset class="segmented compact">
          <legend>{t('near.budget')}</legend>
          {BUDGETS.map((b) => (
            <label>
              <input type="radio" name="budget" checked={budget === b} onChange={() => setBudget(b)} />
              {t('sched.min', { n: b })}
            </label>
          ))}
        </fieldset>
        <fieldset class="segmented compact">
          <legend>{t('near.category')}</legend>
          {CATEGORIES.map((c) => (
            <label>
              <input type="radio" name="category" checked={category === c} onChange={() => setCategory(c)} />
              {t(`near.cat.${c}`)}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <Field id="keyword" label={t('near.keyword')} type="search" value={keyword} onValue={setKeyword} error={fieldErr.keyword} />
          <div class="field">
            <label for="sort">{t('near.sort')}</label>
            <select id="sort" value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as NearbyBody['sort'])}>
              {SORTS.map((s) => (
                <option value={s}>{t(`near.sort.${s}`)}</option>
              ))}
            </select>
          </div>
        </div>
      </form>
      {error && !Object.keys(fieldErr).length && <Alert>{error}</Alert>}
      <div aria-live="polite" class="result-count">
        {total !== undefined && !loading && <p class="muted">{t('near.count', { n: fmtNumber(total) })}</p>}
      </div>
      {searched && !loading && items.length === 0 && !error && <p class="empty">{t('near.none')}</p>}
      {!searched && !loading && !error && <p class="empty">{t('near.start')}</p>}
      <ul class="place-list" aria-busy={loading}>
        {items.map((h) => (
          <Card h={h} keyword={searched?.keyword ?? ''} trip={trip} />
        ))}
        {cursor && (
          <li ref={sentinel} class="more">
            <button type="button" class="btn btn-secondary btn-block" disabled={loading} onClick={() => searched && void run({ ...searched, cursor }, true)}>
              {t('near.more')}
            </button>
          </li>
        )}
      </ul>
      {loading && <Loading />}
    </section>
  );
}
