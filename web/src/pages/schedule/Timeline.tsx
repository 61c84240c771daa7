// One day's timeline: anchors, legs and stop cards. Cards can be selected (details,
// directions, delete, move) and dragged by their handle (mouse, touch and pen through
// pointer events; arrow keys on the handle).
import { useRef, useState } from 'preact/hooks';
import type { DayView, Leg, Stop } from '../../api/types';
import { catLabel, t } from '../../i18n';
import { hhmm } from '../../lib/time';
import { directionsUrl, type Point } from '../../lib/directions';
import { dropIndex, insertionToTarget, warningsByStop } from '../../lib/reorder';
import { anchorName, useCityNames } from '../../lib/cityNames';

export function distance(metres: number): string {
  return metres < 1000 ? t('sched.m', { n: Math.round(metres) }) : t('sched.km', { n: (metres / 1000).toFixed(1) });
}

function LegRow({ leg }: { leg: Leg }) {
  return (
    <li class={`leg leg-${leg.mode}`}>
      <span class="leg-mode">{t(`mode.${leg.mode}` as 'mode.walk')}</span>
      <span>{t('sched.min', { n: leg.minutes })}</span>
      <span>{distance(leg.metres)}</span>
      {leg.mode === 'walk' && leg.kcal != null && <span>{t('sched.kcal', { n: leg.kcal })}</span>}
      {(leg.rides ?? []).map((r, i) => (
        <span key={i} class="leg-ride">
          {t('sched.ride', { line: r.line, from: r.from, departs: hhmm(r.departs), to: r.to, arrives: hhmm(r.arrives) })}
        </span>
      ))}
    </li>
  );
}

interface CardProps {
  s: Stop;
  /** The leg that reaches this stop and where it starts (directions in its mode). */
  leg?: Leg;
  from?: Point;
  index: number;
  count: number;
  tripId: string;
  selected: boolean;
  warnings: string[];
  dragging: boolean;
  dropBefore: boolean;
  dropAfter: boolean;
  readOnly: boolean;
  onSelect: () => void;
  onMove: (to: number) => void;
  onDelete: () => void;
  onHandleDown: (e: PointerEvent) => void;
  dragOffset: number;
}

function StopCard(p: CardProps) {
  const { s } = p;
  const panel = `stop-actions-${p.index}`;
  const cls = [
    'stop',
    `stop-${s.kind}`,
    p.selected && 'selected',
    p.dragging && 'dragging',
    p.dropBefore && 'drop-before',
    p.dropAfter && 'drop-after',
    p.warnings.length && 'has-warning',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li class={cls} data-place={s.placeId} style={p.dragging ? { transform: `translateY(${p.dragOffset}px)` } : undefined}>
      <div class="stop-main">
        <div class="stop-time">
          <time>{hhmm(s.start)}</time>
          <small>{t('sched.min', { n: s.end - s.start })}</small>
        </div>
        <button type="button" class="stop-body" aria-expanded={p.selected} aria-controls={panel} onClick={p.onSelect}>
          <h3>{s.name}</h3>
          <span class="muted">
            <span class="tag">{t(`kind.${s.kind}` as 'kind.visit')}</span> {catLabel(s.category)} · {hhmm(s.start)}–{hhmm(s.end)}
          </span>
          <span class="reason">{s.reason.text}</span>
        </button>
        {!p.readOnly && (
          <button
            type="button"
            class="handle"
            aria-label={t('sched.moveHandle', { name: s.name })}
            title={t('sched.moveHandle', { name: s.name })}
            onPointerDown={p.onHandleDown}
            onKeyDown={(e) => {
              if (e.key === 'ArrowUp' && p.index > 0) {
                e.preventDefault();
                p.onMove(p.index - 1);
              } else if (e.key === 'ArrowDown' && p.index < p.count - 1) {
                e.preventDefault();
                p.onMove(p.index + 1);
              }
            }}
          >
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              <path d="M6 4h2v2H6zm6 0h2v2h-2zM6 9h2v2H6zm6 0h2v2h-2zM6 14h2v2H6zm6 0h2v2h-2z" fill="currentColor" />
            </svg>
          </button>
        )}
      </div>
      {(s.accessibilityNote || s.indoorAlternative || s.parking || p.warnings.length > 0) && (
        <ul class="stop-notes">
          {p.warnings.map((w) => (
            <li class="warn" role="note">
              ⚠ {w}
            </li>
          ))}
          {s.accessibilityNote && <li>♿ {s.accessibilityNote}</li>}
          {s.indoorAlternative && <li>☂ {t('sched.indoorAlt', { name: s.indoorAlternative.name })}</li>}
          {s.parking && (
            <li>
              🅿 {t('sched.parking', { name: s.parking.name, m: s.parking.metresToStop })}
            </li>
          )}
        </ul>
      )}
      {p.selected && (
        <div class="stop-actions" id={panel}>
          <a class="btn btn-secondary" href={`/places/${encodeURIComponent(s.placeId)}?trip=${encodeURIComponent(p.tripId)}`}>
            {t('sched.details')}
          </a>
          <a class="btn btn-secondary" href={directionsUrl(s.name, s.position.lat, s.position.lon, p.leg?.mode, p.from)} target="_blank" rel="noopener">
            {t('sched.directions')}
          </a>
          {p.tripId && (
            <a
              class="btn btn-secondary"
              href={`/nearby?place=${encodeURIComponent(s.placeId)}&name=${encodeURIComponent(s.name)}&trip=${encodeURIComponent(p.tripId)}`}
            >
              {t('place.nearby')}
            </a>
          )}
          {!p.readOnly && (
            <>
              <button type="button" class="btn btn-secondary" disabled={p.index === 0} onClick={() => p.onMove(p.index - 1)}>
                {t('sched.moveUp')}
              </button>
              <button type="button" class="btn btn-secondary" disabled={p.index === p.count - 1} onClick={() => p.onMove(p.index + 1)}>
                {t('sched.moveDown')}
              </button>
              <button type="button" class="btn btn-danger" onClick={p.onDelete}>
                {t('sched.delete')}
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** What the schedule API says of a stop of kind `journey` (see docs/journeys.md). */
interface JourneyInfo {
  mode: string;
  depart: number;
  arrive: number;
  ready: number;
  minutes: number;
  metres: number;
  from: { name: string; timeZone: string };
  to: { name: string; timeZone: string };
}

/** A journey between cities: fixed (no handle, no delete), times in both zones. */
function JourneyCard({ s }: { s: Stop }) {
  const j = (s as Stop & { journey?: JourneyInfo }).journey;
  if (!j) return null;
  return (
    <li class="stop stop-journey" data-place={s.placeId}>
      <div class="stop-main">
        <div class="stop-time">
          <time>{hhmm(j.depart)}</time>
          <small>{t('sched.min', { n: j.minutes })}</small>
        </div>
        <div class="stop-body">
          <h3>{s.name}</h3>
          <span class="muted">
            <span class="tag">{t(`journey.mode.${j.mode}` as 'journey.mode.train')}</span> {distance(j.metres)} ·{' '}
            {t('journey.leaves', { time: hhmm(j.depart), zone: j.from.timeZone })} → {t('journey.arrives', { time: hhmm(j.arrive), zone: j.to.timeZone })}
          </span>
          <span class="reason">{t('journey.estimate', { h: Math.floor(j.minutes / 60), m: String(j.minutes % 60).padStart(2, '0') })}</span>
          <span class="reason">{s.reason.text}</span>
        </div>
      </div>
    </li>
  );
}

interface Drag {
  from: number;
  startY: number;
  dy: number;
  middles: number[];
  insertion: number;
}

export function Timeline({
  d,
  tripId,
  readOnly = false,
  onReorder,
  onDelete,
}: {
  d: DayView;
  tripId: string;
  readOnly?: boolean;
  onReorder?: (from: number, to: number) => void;
  onDelete?: (index: number) => void;
}) {
  useCityNames(); // the lodging anchor may name the city ("Munich centre")
  const [selected, setSelected] = useState<string>();
  const [drag, setDrag] = useState<Drag>();
  const list = useRef<HTMLOListElement>(null);
  const { byPlace } = warningsByStop(d);

  function handleDown(e: PointerEvent, from: number) {
    if (e.button !== 0 || !list.current) return;
    e.preventDefault();
    const cards = Array.from(list.current.querySelectorAll<HTMLElement>(':scope > li.stop'));
    const middles = cards.map((c) => {
      const r = c.getBoundingClientRect();
      return r.top + r.height / 2;
    });
    const target = e.currentTarget as HTMLElement;
    target.setPointerCapture?.(e.pointerId);
    const start: Drag = { from, startY: e.clientY, dy: 0, middles, insertion: from };
    setDrag(start);
    const move = (ev: PointerEvent) => {
      setDrag({ ...start, dy: ev.clientY - start.startY, insertion: dropIndex(middles, ev.clientY) });
    };
    const up = (ev: PointerEvent) => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      setDrag(undefined);
      if (ev.type === 'pointercancel') return;
      const to = insertionToTarget(from, dropIndex(middles, ev.clientY));
      if (to !== from) onReorder?.(from, to);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  }

  const items = [];
  items.push(
    <li class="anchor">
      <time>{hhmm(d.start.time)}</time> {t('sched.start')}: {anchorName(d.start.name)}
    </li>,
  );
  d.stops.forEach((s, i) => {
    if (d.legs[i]) items.push(<LegRow leg={d.legs[i]} />);
    const ins = drag?.insertion;
    if (s.kind === ('journey' as Stop['kind'])) {
      items.push(<JourneyCard s={s} />);
      return;
    }
    items.push(
      <StopCard
        s={s}
        leg={d.legs[i]}
        from={i === 0 ? { name: d.start.name, lat: d.start.position.lat, lon: d.start.position.lon } : { name: d.stops[i - 1].name, lat: d.stops[i - 1].position.lat, lon: d.stops[i - 1].position.lon }}
        index={i}
        count={d.stops.length}
        tripId={tripId}
        selected={selected === s.placeId}
        warnings={byPlace.get(s.placeId) ?? []}
        dragging={drag?.from === i}
        dragOffset={drag?.dy ?? 0}
        dropBefore={!!drag && ins === i && ins !== drag.from && ins !== drag.from + 1}
        dropAfter={!!drag && i === d.stops.length - 1 && ins === d.stops.length && drag.from !== i}
        readOnly={readOnly}
        onSelect={() => setSelected(selected === s.placeId ? undefined : s.placeId)}
        onMove={(to) => onReorder?.(i, to)}
        onDelete={() => onDelete?.(i)}
        onHandleDown={(e) => handleDown(e, i)}
      />,
    );
  });
  if (d.legs[d.stops.length]) items.push(<LegRow leg={d.legs[d.stops.length]} />);
  items.push(
    <li class="anchor">
      <time>{hhmm(d.returnTime)}</time> {t('sched.end')}: {anchorName(d.end.name)}
    </li>,
  );
  return (
    <ol class={`timeline${drag ? ' is-dragging' : ''}`} ref={list}>
      {items}
    </ol>
  );
}
