import { useEffect, useRef, useState } from 'preact/hooks';
import { locations } from '../api/endpoints';
import type { GeocodeHit } from '../api/types';
import { getLang, t } from '../i18n';

export function cityLabel(h: GeocodeHit): string {
  const name = (getLang() === 'ko' ? h.nameKo : h.nameEn) ?? h.name;
  return name;
}

/** Accessible combobox (ARIA 1.2 pattern) over /locations/geocode, cities only: the catalogue's
 * and the world gazetteer's; cities whose places are not imported yet (`hasPlaces: false`) are
 * marked. */
export function CityPicker({
  id,
  label,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  onChange: (name: string, hit?: GeocodeHit) => void;
}) {
  const [hits, setHits] = useState<GeocodeHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [query, setQuery] = useState<string | null>(null); // null: value was picked, not typed
  const [searching, setSearching] = useState(false);
  const listId = `${id}-list`;
  const blurTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    if (query === null || query.trim().length < 1) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    setSearching(true);
    const timer = setTimeout(() => {
      locations.geocode(query.trim(), ctl.signal).then(
        (r) => {
          if (ctl.signal.aborted) return;
          setHits(r.filter((h) => h.kind === 'city').slice(0, 8));
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
  }, [query]);

  function pick(h: GeocodeHit) {
    onChange(cityLabel(h), h);
    setQuery(null);
    setOpen(false);
    setHits([]);
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? hits.length - 1 : a - 1));
    } else if (e.key === 'Enter' && open && active >= 0 && hits[active]) {
      e.preventDefault();
      pick(hits[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  }

  const showNone = open && query !== null && query.trim() !== '' && !searching && hits.length === 0;
  return (
    <div class={`field combo${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={open && hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-msg` : ''}`}
        value={value}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          setQuery(v);
          onChange(v);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => hits.length && setOpen(true)}
        onBlur={() => {
          blurTimer.current = setTimeout(() => setOpen(false), 150);
        }}
      />
      <small id={`${id}-hint`} class="hint">
        {t('trip.dest.cityHint')}
      </small>
      <ul id={listId} role="listbox" class="combo-list" hidden={!(open && hits.length > 0)} aria-label={label}>
        {hits.map((h, i) => (
          <li
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              clearTimeout(blurTimer.current);
              pick(h);
            }}
          >
            <strong>{cityLabel(h)}</strong>
            <span class="muted">
              {' '}
              {[h.name !== cityLabel(h) ? h.name : null, h.country].filter(Boolean).join(' · ')}
            </span>
            {h.hasPlaces === false && (
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
