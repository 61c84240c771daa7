import { describe, expect, it } from 'vitest';
import { directionsUrl, inKorea } from './directions';
import { highlight } from './highlight';
import { fileNameFromDisposition } from './download';
import { DAY_COLORS, LEG_LAYERS, dayColor, legLook, routeLines, validStyleUrl, validTileUrl } from './mapStyle';

describe('directions', () => {
  it('uses Kakao Map inside Korea and Google Maps elsewhere', () => {
    expect(inKorea(37.5665, 126.978)).toBe(true); // Seoul
    expect(inKorea(33.5, 126.5)).toBe(true); // Jeju
    expect(inKorea(48.137, 11.575)).toBe(false); // Munich
    expect(inKorea(35.68, 139.76)).toBe(false); // Tokyo
    expect(directionsUrl('경복궁, 서울', 37.5796, 126.977)).toBe(
      `https://map.kakao.com/link/to/${encodeURIComponent('경복궁  서울')},37.5796,126.977`,
    );
    expect(directionsUrl('Marienplatz', 48.137, 11.575)).toBe(
      'https://www.google.com/maps/dir/?api=1&destination=48.137,11.575&travelmode=walking',
    );
  });
  it("takes the leg's mode and start", () => {
    const from = { name: 'Hotel, Mitte', lat: 48.14, lon: 11.56 };
    expect(directionsUrl('Marienplatz', 48.137, 11.575, 'transit', from)).toBe(
      'https://www.google.com/maps/dir/?api=1&origin=48.14,11.56&destination=48.137,11.575&travelmode=transit',
    );
    expect(directionsUrl('Marienplatz', 48.137, 11.575, 'car')).toContain('travelmode=driving');
    expect(directionsUrl('경복궁', 37.5796, 126.977, 'transit', { name: '호텔', lat: 37.56, lon: 126.98 })).toBe(
      `https://map.kakao.com/link/by/traffic/${encodeURIComponent('호텔')},37.56,126.98/${encodeURIComponent('경복궁')},37.5796,126.977`,
    );
  });
});

describe('highlight', () => {
  const marked = (s: ReturnType<typeof highlight>) => s.map((x) => (x.hit ? `[${x.text}]` : x.text)).join('');
  it('marks every match, case-insensitively', () => {
    expect(marked(highlight('Café Cafe CAFE', 'cafe'))).toBe('[Café] [Cafe] [CAFE]');
  });
  it('ignores accents both ways and keeps the original text', () => {
    expect(marked(highlight('Deutsches Museum München', 'munchen'))).toBe('Deutsches Museum [München]');
    expect(marked(highlight('Munich', 'Mün'))).toBe('[Mun]ich');
  });
  it('handles Hangul and no keyword', () => {
    expect(marked(highlight('서울 빨래방 24시', '빨래'))).toBe('서울 [빨래]방 24시');
    expect(highlight('abc', '')).toEqual([{ text: 'abc', hit: false }]);
    expect(highlight('abc', '  ')).toEqual([{ text: 'abc', hit: false }]);
    expect(highlight('abc', 'xyz')).toEqual([{ text: 'abc', hit: false }]);
  });
});

describe('file name from Content-Disposition', () => {
  it('prefers the RFC 5987 name', () => {
    const h = `attachment; filename="trip_20261201.pdf"; filename*=UTF-8''%EB%B0%94%EC%9D%B4%EC%97%90%EB%A5%B8_20261201.pdf`;
    expect(fileNameFromDisposition(h, 'x')).toBe('바이에른_20261201.pdf');
  });
  it('reads quoted and bare names', () => {
    expect(fileNameFromDisposition('attachment; filename="My trip_Day1_20261201.png"', 'x')).toBe('My trip_Day1_20261201.png');
    expect(fileNameFromDisposition('attachment; filename=trip.ics', 'x')).toBe('trip.ics');
    expect(fileNameFromDisposition('attachment; filename="a\\"b.gpx"', 'x')).toBe('a"b.gpx');
  });
  it('falls back and strips paths', () => {
    expect(fileNameFromDisposition(null, 'export.pdf')).toBe('export.pdf');
    expect(fileNameFromDisposition('inline', 'export.pdf')).toBe('export.pdf');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", 'f.pdf')).toBe('f.pdf');
  });
});

describe('map style', () => {
  it('gives one colour per day, cycling through the palette', () => {
    expect(dayColor(0)).toBe(DAY_COLORS[0]);
    expect(dayColor(11)).toBe(DAY_COLORS[1]);
    expect(dayColor(undefined, 3)).toBe(DAY_COLORS[2]);
    expect(new Set(DAY_COLORS).size).toBe(DAY_COLORS.length);
  });
  it('dots walking legs, dashes travel between cities, keeps vehicle legs solid', () => {
    expect(legLook('leg', 'walk')).toBe('walk');
    expect(legLook('leg', 'transit')).toBe('transit');
    expect(legLook('leg', 'taxi')).toBe('car');
    expect(legLook('journey', 'car')).toBe('journey');
    const dashed = (id: string) => Boolean(LEG_LAYERS.find((l) => l.id === id)?.paint?.['line-dasharray']);
    expect(dashed('leg-walk') && dashed('leg-journey')).toBe(true);
    expect(dashed('leg-car') || dashed('leg-transit')).toBe(false);
    const lines = routeLines({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [11.5, 48.1] }, properties: { kind: 'stop', day: 2, colorIndex: 1 } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[11.5, 48.1], [11.6, 48.2]] }, properties: { kind: 'leg', day: 2, colorIndex: 1, mode: 'car' } },
      ],
    });
    expect(lines.features).toHaveLength(1);
    expect(lines.features[0].properties).toMatchObject({ color: DAY_COLORS[1], look: 'car' });
  });
  it('accepts only http(s) tile templates', () => {
    expect(validTileUrl('https://tile.example.org/{z}/{x}/{y}.png')).toBe('https://tile.example.org/{z}/{x}/{y}.png');
    expect(validTileUrl('')).toBeUndefined();
    expect(validTileUrl('javascript:alert(1)//{z}{x}{y}')).toBeUndefined();
    expect(validTileUrl('https://tile.example.org/')).toBeUndefined();
    expect(validStyleUrl('/tiles/style.json')).toBe('/tiles/style.json');
    expect(validStyleUrl('https://maps.example/style.json?key=1')).toBe('https://maps.example/style.json?key=1');
    expect(validStyleUrl('//evil.example/style.json')).toBeUndefined();
    expect(validStyleUrl('javascript:x.json')).toBeUndefined();
  });
});
