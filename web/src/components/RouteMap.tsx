// Leaflet map of a trip's GeoJSON route (TRIP-080): numbered markers in the day's colour,
// solid vehicle legs and dashed walking legs, popups with name and time. Tiles only when a
// tile URL is configured; otherwise the routes are drawn on a plain background. The OSM
// attribution is always shown.
import { useEffect, useRef } from 'preact/hooks';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { RouteCollection, RouteFeature } from '../api/types';
import { t } from '../i18n';
import { dayColor, legStyle } from '../lib/mapStyle';

const OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function popup(p: RouteFeature['properties']): string {
  const day = esc(t('sched.day', { n: p.day }));
  if (p.kind === 'stop')
    return `<strong>${p.number}. ${esc(p.name ?? '')}</strong><br>${day} · ${esc(p.start ?? '')}–${esc(p.end ?? '')}`;
  const role = p.role === 'start' ? t('sched.start') : t('sched.end');
  return `<strong>${esc(p.name ?? '')}</strong><br>${day} · ${esc(role)} ${esc(p.time ?? '')}`;
}

export function RouteMap({ data, tileUrl, label }: { data: RouteCollection; tileUrl?: string; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map>();
  const layer = useRef<L.LayerGroup>();

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: true, attributionControl: true, fadeAnimation: false, zoomAnimation: false });
    m.attributionControl.setPrefix(false);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: OSM_ATTRIBUTION }).addTo(m);
    else m.attributionControl.addAttribution(OSM_ATTRIBUTION);
    map.current = m;
    layer.current = L.layerGroup().addTo(m);
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, [tileUrl]);

  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const bounds = L.latLngBounds([]);
    // Legs first, so markers sit on top.
    for (const f of data.features) {
      if (f.geometry.type !== 'LineString') continue;
      const p = f.properties;
      const latlngs = f.geometry.coordinates.map(([lon, lat]) => L.latLng(lat, lon));
      const line = L.polyline(latlngs, { ...legStyle(p.mode ?? 'walk', p.colorIndex, p.day), className: `leg-line leg-${p.mode}` });
      line.bindTooltip(`${t(`mode.${p.mode}` as 'mode.walk')} · ${t('sched.min', { n: p.minutes ?? 0 })}`);
      g.addLayer(line);
      latlngs.forEach((x) => bounds.extend(x));
    }
    for (const f of data.features) {
      if (f.geometry.type !== 'Point') continue;
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const color = dayColor(p.colorIndex, p.day);
      const text = p.kind === 'stop' ? String(p.number) : p.role === 'start' ? '⌂' : '⌂';
      const icon = L.divIcon({
        className: `marker marker-${p.kind}`,
        html: `<span style="background:${color}">${esc(text)}</span>`,
        iconSize: [28, 28],
        iconAnchor: [14, 14],
        popupAnchor: [0, -14],
      });
      const mk = L.marker([lat, lon], {
        icon,
        title: p.kind === 'stop' ? `${p.number}. ${p.name}` : p.name,
        alt: p.name,
        keyboard: true,
        riseOnHover: true,
      });
      mk.bindPopup(popup(p));
      g.addLayer(mk);
      bounds.extend([lat, lon]);
    }
    if (bounds.isValid()) m.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    else m.setView([20, 0], 2);
  }, [data, tileUrl]);

  return <div ref={el} class={`map${tileUrl ? '' : ' map-plain'}`} role="region" aria-label={label} />;
}
