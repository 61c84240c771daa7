// MapLibre GL loaded on demand: the renderer (about 300 KB gzipped) and its worker arrive
// only when a map is shown, so every other screen stays light. The worker file is emitted
// by Vite next to the app's assets (same origin: nothing is fetched from elsewhere).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

type MapLibre = typeof import('maplibre-gl');
let loading: Promise<MapLibre> | undefined;

export function loadMapLibre(): Promise<MapLibre> {
  loading ??= Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl.css')]).then(([m]) => {
    m.setWorkerUrl(new URL(workerUrl, location.href).href);
    return m;
  });
  return loading;
}
