// MapLibre map of a trip's GeoJSON route (TRIP-080, issue 20): the offline base map from the
// same OSM data (lib/basemap.ts), legs along their street geometry in the day's colour
// (walk dotted, transit with a light core, car solid, travel between cities dashed),
// numbered stop markers and the hotel, a tap on a stop opens its card, a button fits the
// day. MapLibre is loaded on demand (lib/maplibre.ts). The OSM attribution is always shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { GeoJSONSource, Map as MlMap, Marker } from 'maplibre-gl';
import type { RouteCollection, RouteFeature } from '../api/types';
import { getLang, t } from '../i18n';
import { loadBaseMap, OSM_ATTRIBUTION } from '../lib/basemap';
import { loadMapLibre } from '../lib/maplibre';
import { dayColor, LEG_LAYERS, legLook, routeLines } from '../lib/mapStyle';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The card a tapped marker opens. */
function card(p: RouteFeature['properties']): string {
  const day = esc(t('sched.day', { n: p.day }));
  if (p.kind === 'stop') {
    const link = p.placeId ? `<br><a href="/places/${encodeURIComponent(p.placeId)}">${esc(t('map.details'))}</a>` : '';
    return `<strong>${p.number}. ${esc(p.name ?? '')}</strong><br>${day} · ${esc(p.start ?? '')}–${esc(p.end ?? '')}${link}`;
  }
  const role = p.role === 'start' ? t('sched.start') : t('sched.end');
  return `<strong>${esc(p.name ?? '')}</strong><br>${day} · ${esc(role)} ${esc(p.time ?? '')}`;
}

type Bounds = [[number, number], [number, number]];

function boundsOf(data: RouteCollection): Bounds | undefined {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const add = ([lon, lat]: [number, number]) => {
    w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
  };
  for (const f of data.features) {
    if (f.geometry.type === 'Point') add(f.geometry.coordinates);
    else f.geometry.coordinates.forEach(add);
  }
  return Number.isFinite(w) ? [[w, s], [e, n]] : undefined;
}

export function RouteMap({ data, tileUrl, styleUrl, label }: { data: RouteCollection; tileUrl?: string; styleUrl?: string; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap>();
  const markers = useRef<Marker[]>([]);
  const [ready, setReady] = useState(false);
  const [hasBase, setHasBase] = useState<boolean>();
  const [failed, setFailed] = useState(false);

  const fit = (animate = true) => {
    const m = map.current;
    const b = boundsOf(data);
    if (!m) return;
    if (b) m.fitBounds(b, { padding: 40, maxZoom: 16, animate });
    else m.jumpTo({ center: [0, 20], zoom: 1 });
  };

  useEffect(() => {
    let cancelled = false;
    let created: MlMap | undefined;
    (async () => {
      const [ml, base] = await Promise.all([loadMapLibre(), loadBaseMap({ tileUrl, styleUrl }, getLang())]);
      if (cancelled || !el.current) return;
      const b = boundsOf(data);
      const m = new ml.Map({
        container: el.current,
        style: base.style,
        bounds: b,
        fitBoundsOptions: { padding: 40, maxZoom: 16 },
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        fadeDuration: 0,
      });
      created = m;
      m.touchZoomRotate.disableRotation();
      m.addControl(new ml.NavigationControl({ showCompass: false }), 'top-right');
      m.addControl(new ml.ScaleControl({ unit: 'metric' }), 'bottom-left');
      m.addControl(new ml.AttributionControl({ compact: false, customAttribution: base.hasBase ? undefined : OSM_ATTRIBUTION }), 'bottom-right');
      m.on('error', (e) => console.warn('map:', e.error?.message ?? e));
      m.on('load', () => {
        if (cancelled) return;
        m.addSource('route', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        for (const layer of LEG_LAYERS) m.addLayer({ ...layer, source: 'route' });
        map.current = m;
        setHasBase(base.hasBase);
        setReady(true);
      });
    })().catch((e) => {
      console.warn('map:', e);
      if (!cancelled) setFailed(true);
    });
    return () => {
      cancelled = true;
      markers.current.forEach((mk) => mk.remove());
      markers.current = [];
      created?.remove();
      map.current = undefined;
      setReady(false);
    };
  }, [tileUrl, styleUrl]);

  useEffect(() => {
    const m = map.current;
    if (!ready || !m) return;
    let cancelled = false;
    (m.getSource('route') as GeoJSONSource | undefined)?.setData(routeLines(data));
    markers.current.forEach((mk) => mk.remove());
    markers.current = [];
    loadMapLibre().then((ml) => {
      if (cancelled) return;
      for (const f of data.features) {
        if (f.geometry.type !== 'Point') continue;
        const p = f.properties;
        const node = document.createElement('button');
        node.type = 'button';
        node.className = `marker marker-${p.kind}`;
        node.title = p.kind === 'stop' ? `${p.number}. ${p.name ?? ''}` : (p.name ?? '');
        node.setAttribute('aria-label', node.title);
        const badge = document.createElement('span');
        badge.style.background = dayColor(p.colorIndex, p.day);
        badge.textContent = p.kind === 'stop' ? String(p.number) : '⌂';
        node.appendChild(badge);
        const popup = new ml.Popup({ offset: 16, maxWidth: '260px' }).setHTML(card(p));
        const mk = new ml.Marker({ element: node }).setLngLat(f.geometry.coordinates).setPopup(popup).addTo(m);
        markers.current.push(mk);
      }
      fit(false);
      m.once('idle', () => el.current?.setAttribute('data-drawn', '1'));
    });
    return () => {
      cancelled = true;
    };
  }, [data, ready]);

  const modes = new Set(data.features.filter((f) => f.geometry.type === 'LineString').map((f) => legLook(f.properties.kind, f.properties.mode)));
  return (
    <div class="route-map">
      <div class="map-frame">
        <div ref={el} class="map" role="region" aria-label={label} data-base={hasBase === undefined ? undefined : hasBase ? '1' : '0'} />
        {ready && (
          <button type="button" class="map-fit" onClick={() => fit()}>
            {t('map.fit')}
          </button>
        )}
      </div>
      {failed && <p class="muted small">{t('map.failed')}</p>}
      {hasBase === false && <p class="muted small">{t('map.noTiles')}</p>}
      <p class="legend muted small">
        {(['walk', 'transit', 'car', 'journey'] as const)
          .filter((k) => modes.has(k) || (k !== 'journey' && modes.size === 0))
          .map((k) => (
            <span class="legend-item">
              <span class={`legend-line legend-${k}`} aria-hidden="true" /> {k === 'journey' ? t('map.journey') : t(`mode.${k}`)}
            </span>
          ))}
      </p>
    </div>
  );
}
