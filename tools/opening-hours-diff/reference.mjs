// Shared by check.mjs and trips.mjs: how the reference (opening_hours.js) is set up for a
// place of the bundled data.
import OpeningHours from 'opening_hours';

// The region the reference uses for a country's holidays in the bundled data (TripGen does
// not know a place's region; a holiday of only some regions makes `PH` unknown there).
export const REGIONS = { de: 'Bayern', gb: 'England', pt: 'Porto', fi: 'Uusimaa' };

export function nominatim(country, lat, lon) {
  const cc = (country || '').toLowerCase();
  return {
    lat: String(lat),
    lon: String(lon),
    address: { country_code: cc, state: REGIONS[cc] || '' },
  };
}

/// The reference's reading of `value`, or throws when it cannot read it.
export function reference(value, country, lat, lon) {
  return new OpeningHours(value, nominatim(country, lat, lon), { mode: 0, tag_key: 'opening_hours' });
}
