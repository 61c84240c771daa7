import { describe, expect, it } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';
import { absoluteTemplate, absolutize, tileSetCount } from './basemap';

describe('base map style', () => {
  it('keeps tile URL templates intact when making them absolute', () => {
    // `new URL('/tiles/m/{z}/{x}/{y}.pbf', origin)` would give `%7Bz%7D`: MapLibre then
    // requests that literally and every tile is a 400 (no base map drawn).
    expect(absoluteTemplate('/tiles/munchen/{z}/{x}/{y}.pbf', 'http://127.0.0.1:8080/tiles/style.json')).toBe(
      'http://127.0.0.1:8080/tiles/munchen/{z}/{x}/{y}.pbf',
    );
    expect(absoluteTemplate('munchen/{z}/{x}/{y}.pbf', 'https://maps.example/tiles/style.json?lang=ko')).toBe(
      'https://maps.example/tiles/munchen/{z}/{x}/{y}.pbf',
    );
    expect(absoluteTemplate('//cdn.example/{z}/{x}/{y}.pbf', 'https://maps.example/s.json')).toBe('https://cdn.example/{z}/{x}/{y}.pbf');
    expect(absoluteTemplate('https://t.example/{z}/{x}/{y}.png', 'http://127.0.0.1/')).toBe('https://t.example/{z}/{x}/{y}.png');
    expect(absoluteTemplate('pmtiles://x.pmtiles', 'http://127.0.0.1/')).toBe('pmtiles://x.pmtiles');
  });

  it('makes every source absolute and counts the tile sets', () => {
    const style = {
      version: 8,
      metadata: { 'tripgen:tilesets': ['munchen'] },
      sources: {
        'tiles-munchen': { type: 'vector', tiles: ['/tiles/munchen/{z}/{x}/{y}.pbf'] },
        other: { type: 'vector', url: '/tiles/munchen.json' },
      },
      layers: [],
    } as unknown as StyleSpecification;
    const abs = absolutize(style, 'http://127.0.0.1:8080/tiles/style.json');
    expect((abs.sources['tiles-munchen'] as { tiles: string[] }).tiles[0]).toBe('http://127.0.0.1:8080/tiles/munchen/{z}/{x}/{y}.pbf');
    expect((abs.sources.other as { url: string }).url).toBe('http://127.0.0.1:8080/tiles/munchen.json');
    expect(tileSetCount(abs)).toBe(1);
  });
});
