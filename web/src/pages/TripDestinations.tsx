import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError } from '../api/client';
import { trips } from '../api/endpoints';
import { fieldMessage, fmtDate, t } from '../i18n';
import { Alert, ErrorState, Field, Loading, errorText } from '../components/ui';
import { PageTitle } from '../components/Layout';
import { WizardSteps } from '../components/WizardSteps';
import { CityPicker } from '../components/CityPicker';
import { EmptyCatalogue } from '../components/EmptyCatalogue';
import { chainDates } from '../lib/dates';
import { catalogueCities } from '../lib/catalogue';
import type { CatalogueCity } from '../api/types';

interface DestForm {
  destinationName: string;
  nights: string;
  accommodation: string;
  checkInTime: string;
  checkOutTime: string;
}

/** An optional arrival or departure: a local time and the airport, station or place. */
interface PointForm {
  time: string;
  place: string;
}

const noPoint = (): PointForm => ({ time: '', place: '' });
const pointBody = (p: PointForm) => (p.time.trim() || p.place.trim() ? { time: p.time.trim(), place: p.place.trim() } : null);

const blank = (): DestForm => ({ destinationName: '', nights: '1', accommodation: '', checkInTime: '15:00', checkOutTime: '11:00' });

export function TripDestinations() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id as string;
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>();
  const [tripName, setTripName] = useState('');
  const [start, setStart] = useState('');
  const [dests, setDests] = useState<DestForm[]>([blank()]);
  const [arrival, setArrival] = useState<PointForm>(noPoint());
  const [departure, setDeparture] = useState<PointForm>(noPoint());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The cities the catalogue holds; `undefined` while asking (or if asking failed: the
  // picker then still works through the geocoder).
  const [cities, setCities] = useState<CatalogueCity[]>();
  const [checking, setChecking] = useState(false);

  const loadCities = (fresh = false) => {
    setChecking(true);
    catalogueCities(fresh).then(
      (c) => {
        setCities(c);
        setChecking(false);
      },
      () => setChecking(false),
    );
  };
  useEffect(() => loadCities(), []);

  useEffect(() => {
    trips.get(id).then(
      (tr) => {
        setTripName(tr.tripName);
        if (tr.startDate) setStart(tr.startDate);
        if (tr.arrival) setArrival({ time: tr.arrival.time, place: tr.arrival.place });
        if (tr.departure) setDeparture({ time: tr.departure.time, place: tr.departure.place });
        if (tr.destinations.length)
          setDests(
            tr.destinations.map((d) => ({
              destinationName: d.destinationName,
              nights: String(d.nights),
              accommodation: d.accommodation ?? '',
              checkInTime: d.checkInTime,
              checkOutTime: d.checkOutTime,
            })),
          );
        setLoading(false);
      },
      (e) => {
        setLoadError(e);
        setLoading(false);
      },
    );
  }, [id]);

  const chain = chainDates(
    start,
    dests.map((d) => Number(d.nights)),
  );
  const upd = (i: number, patch: Partial<DestForm>) => setDests((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  async function submit(ev: Event) {
    ev.preventDefault();
    setError(undefined);
    const local: Record<string, string> = {};
    if (!start) local.startDate = t('v.required');
    dests.forEach((d, i) => {
      if (!d.destinationName.trim()) local[`destinations[${i}].destinationName`] = t('v.required');
      if (!(Number(d.nights) >= 1)) local[`destinations[${i}].nights`] = t('v.required');
    });
    setErrors(local);
    if (Object.keys(local).length) {
      setError(t('v.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      await trips.destinations(id, {
        startDate: start,
        destinations: dests.map((d) => ({
          destinationName: d.destinationName.trim(),
          nights: Number(d.nights),
          accommodation: d.accommodation.trim() || null,
          checkInTime: d.checkInTime,
          checkOutTime: d.checkOutTime,
        })),
        arrival: pointBody(arrival),
        departure: pointBody(departure),
      });
      route(`/trips/${id}/generate`);
    } catch (e) {
      if (e instanceof ApiError && e.errors.length) {
        setErrors(Object.fromEntries(Object.entries(e.fieldErrors()).map(([k, v]) => [k, fieldMessage(v)])));
        setError(t('v.fixErrors'));
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (loading) return <Loading />;
  if (loadError) return <ErrorState error={loadError} />;
  if (cities && cities.length === 0)
    return (
      <section class="page">
        <WizardSteps tripId={id} current={2} />
        <PageTitle>{t('trip.dest.title')}</PageTitle>
        <EmptyCatalogue busy={checking} onRetry={() => loadCities(true)} />
      </section>
    );
  return (
    <section class="page">
      <WizardSteps tripId={id} current={2} />
      <PageTitle>{t('trip.dest.title')}</PageTitle>
      <p class="muted">{tripName}</p>
      {error && <Alert>{error}</Alert>}
      <form onSubmit={submit} noValidate>
        <Field id="startDate" type="date" label={t('trip.dest.start')} value={start} onValue={setStart} error={errors.startDate} />
        {dests.map((d, i) => {
          const p = `destinations[${i}]`;
          const stay = chain?.stays[i];
          return (
            <fieldset class="card dest-card" key={i}>
              <legend>{t('trip.dest.n', { n: i + 1 })}</legend>
              <p class="dest-dates" aria-live="polite">
                {stay ? t('trip.dest.dates', { from: fmtDate(stay.from), to: fmtDate(stay.to), nights: stay.nights }) : t('trip.dest.pickDate')}
              </p>
              <CityPicker
                id={`d${i}-city`}
                label={t('trip.dest.city')}
                value={d.destinationName}
                error={errors[`${p}.destinationName`]}
                cities={cities ?? []}
                onChange={(name) => upd(i, { destinationName: name })}
              />
              <div class="row">
                <Field
                  id={`d${i}-nights`}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={30}
                  label={t('trip.dest.nights')}
                  value={d.nights}
                  onValue={(nights) => upd(i, { nights })}
                  error={errors[`${p}.nights`]}
                />
                <Field id={`d${i}-in`} type="time" step={600} label={t('trip.dest.checkIn')} value={d.checkInTime} onValue={(checkInTime) => upd(i, { checkInTime })} error={errors[`${p}.checkInTime`]} />
                <Field id={`d${i}-out`} type="time" step={600} label={t('trip.dest.checkOut')} value={d.checkOutTime} onValue={(checkOutTime) => upd(i, { checkOutTime })} error={errors[`${p}.checkOutTime`]} />
              </div>
              <Field id={`d${i}-lodging`} label={t('trip.dest.lodging')} value={d.accommodation} onValue={(accommodation) => upd(i, { accommodation })} error={errors[`${p}.accommodation`]} />
              {dests.length > 1 && (
                <button type="button" class="btn btn-link danger" onClick={() => setDests((ds) => ds.filter((_, j) => j !== i))}>
                  {t('trip.dest.remove')}
                </button>
              )}
            </fieldset>
          );
        })}
        {errors.destinations && <Alert>{errors.destinations}</Alert>}
        <button type="button" class="btn btn-secondary btn-block" onClick={() => setDests((ds) => [...ds, blank()])}>
          + {t('trip.dest.add')}
        </button>
        <fieldset class="card dest-card" id="travel-points">
          <legend>{t('trip.points.title')}</legend>
          <p class="muted">{t('trip.points.hint')}</p>
          <div class="row">
            <Field id="arrival-time" type="time" label={t('trip.points.arrivalTime')} value={arrival.time} onValue={(time) => setArrival((p) => ({ ...p, time }))} error={errors['arrival.time']} />
            <Field id="arrival-place" label={t('trip.points.arrivalPlace')} value={arrival.place} onValue={(place) => setArrival((p) => ({ ...p, place }))} error={errors['arrival.place']} />
          </div>
          <div class="row">
            <Field id="departure-time" type="time" label={t('trip.points.departureTime')} value={departure.time} onValue={(time) => setDeparture((p) => ({ ...p, time }))} error={errors['departure.time']} />
            <Field id="departure-place" label={t('trip.points.departurePlace')} value={departure.place} onValue={(place) => setDeparture((p) => ({ ...p, place }))} error={errors['departure.place']} />
          </div>
        </fieldset>
        {chain && (
          <p class="total" aria-live="polite">
            {t('trip.dest.total', { nights: chain.total.nights, days: chain.total.days, from: fmtDate(chain.total.from), to: fmtDate(chain.total.to) })}
          </p>
        )}
        <div class="actions">
          <a class="btn btn-secondary" href={`/trips/${id}/basic`}>
            {t('app.back')}
          </a>
          <button class="btn btn-primary" type="submit" disabled={busy} aria-busy={busy}>
            {t('trip.next')}
          </button>
        </div>
      </form>
    </section>
  );
}
