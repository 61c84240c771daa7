import { useEffect, useRef, useState } from 'preact/hooks';
import { locations } from '../api/endpoints';
import type { CatalogueCity, GeocodeHit } from '../api/types';
import { fmtNumber, getLang, t } from '../i18n';
import { catalogueCityName, cityMatches } from '../lib/catalogue';

export function cityLabel(h: GeocodeHit): string {
  const name = (getLang() === 'ko' ? h.nameKo : h.nameEn) ?? h.name;
  return name;
}

/** One suggestion: a catalogue city or a geocoder hit. */
interface Option {
  key: string;
  label: string;
  detail: string;
  /** A gazetteer city whose places are not imported yet. */
  noPlaces?: boolean;
}

function fromCatalogue(c: CatalogueCity): Option {
  const label = catalogueCityName(c);
  const places = t('trip.dest.places', { n: fmtNumber(c.placeCount) });
  return { key: c.id, label, detail: [c.name !== label ? c.name : null, c.country, places].filter(Boolean).join(' · ') };
}

function fromHit(h: GeocodeHit): Option {
  const label = cityLabel(h);
  return {
    key: h.id,
    label,
    detail: [h.name !== label ? h.name : null, h.country].filter(Boolean).join(' · '),
    noPlaces: h.hasPlaces === false,
  };
}

/**
 * Accessible combobox (ARIA 1.2 pattern). With an empty field it lists every city of the
 * catalogue (`cities`); typed text filters them, and the geocoder (/locations/geocode, cities
 * only: the catalogue's and the world gazetteer's) answers what the names do not match (other
 * spellings); gazetteer cities whose places are not imported yet are marked.
 */
export function CityPicker({
  id,
  label,
  value,
  error,
  cities,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  cities: CatalogueCity[];
  onChange: (name: string) => void;
}) {
  const [hits, setHits] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState<string | null>(null); // null: value was picked, not typed
  const [searching, setSearching] = useState(false);
  const listId = `${id}-list`;
  const blurTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    const q = query?.trim() ?? '';
    if (query === null || q.length < 1) {
      setHits([]);
      setSearching(false);
      return;
    }
    const local = cities.filter((c) => cityMatches(c, q)).map(fromCatalogue);
    if (local.length) {
      setHits(local);
      setActive(-1);
      setOpen(true);
      setSearching(false);
      return;
    }
    const ctl = new AbortController();
    setSearching(true);
    const timer = setTimeout(() => {
      locations.geocode(q, ctl.signal).then(
        (r) => {
          if (ctl.signal.aborted) return;
          setHits(r.filter((h) => h.kind === 'city').slice(0, 8).map(fromHit));
          setActive(-1);
          setOpen(true);
          setSearching(false);
        },
        () => !ctl.signal.aborted && setSearching(false),
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query, cities]);

  // An empty field offers the whole catalogue.
  const typed = query !== null && query.trim() !== '';
  const options = typed ? hits : cities.map(fromCatalogue);

  function pick(o: Option) {
    onChange(o.label);
    setQuery(null);
    setOpen(false);
    setHits([]);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' && options.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % options.length);
    } else if (e.key === 'ArrowUp' && options.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? options.length - 1 : a - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && options[active]) {
      e.preventDefault();
      pick(options[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  }

  const showNone = open && typed && !searching && options.length === 0;
  return (
    <div class={`field combo${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-msg` : ''}`}
        value={value}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          // Typing right after a blur must not be closed by that blur's pending timer.
          clearTimeout(blurTimer.current);
          setQuery(v);
          onChange(v);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => {
          clearTimeout(blurTimer.current);
          setOpen(true);
        }}
        onBlur={() => {
          blurTimer.current = setTimeout(() => setOpen(false), 150);
        }}
      />
      <small id={`${id}-hint`} class="hint">
        {t('trip.dest.cityHint')}
      </small>
      <ul id={listId} role="listbox" class="combo-list" hidden={!(open && options.length > 0)} aria-label={label}>
        {options.map((o, i) => (
          <li
            key={o.key}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              clearTimeout(blurTimer.current);
              pick(o);
            }}
          >
            <strong>{o.label}</strong>
            <span class="muted"> {o.detail}</span>
            {o.noPlaces && (
              <span class="muted city-no-places" data-no-places="">
                {' · '}
                {t('trip.dest.noPlaces')}
              </span>
            )}
          </li>
        ))}
      </ul>
      {showNone && (
        <small class="msg" role="status">
          {t('trip.dest.noCity')}
        </small>
      )}
      {error && (
        <small id={`${id}-msg`} class="msg msg-error">
          {error}
        </small>
      )}
    </div>
  );
}
