// Friendly names for the generated OpenAPI types (src/api/schema.ts, `npm run gen:api`).
import type { components } from './schema';

type S = components['schemas'];
export type Problem = S['Problem'];
export type GenerationResult = S['GenerationResult'];
export type Understood = S['Understood'];
export type FieldError = S['FieldError'];
export type Profile = S['Profile'];
export type TokenResponse = S['TokenResponse'];
export type RegisterRequest = S['RegisterRequest'];
export type Availability = S['Availability'];
export type PasswordCheck = S['PasswordCheck'];
export type Strength = S['Strength'];
export type Summary = S['Summary'];
export type SummarySection = S['SummarySection'];
export type TripCard = S['TripCard'];
export type TripDetail = S['TripDetail'];
export type MemberRequest = S['MemberRequest'];
export type MemberView = S['MemberView'];
export type CreateTripRequest = S['CreateTripRequest'];
export type DestinationRequest = S['DestinationRequest'];
export type DestinationsBatchRequest = S['DestinationsBatchRequest'];
export type DestinationView = S['DestinationView'];
export type GeocodeHit = S['GeocodeHit'];
export type CatalogueCity = S['CatalogueCity'];
export type GenerateRequest = S['GenerateRequest'];
export type GenerationAccepted = S['GenerationAccepted'];
export type JobStatus = S['JobStatus'];
export type ScheduleView = S['ScheduleView'];
export type DayView = S['DayView'];
export type Stop = S['Stop'];
export type Leg = S['Leg'];

export const PREFERENCES = ['sightseeing', 'shopping', 'culture', 'nature', 'sports', 'rest'] as const;
export const GENDERS = ['male', 'female', 'other'] as const;
export const HEALTH = ['excellent', 'good', 'caution', 'limited'] as const;
export type Preference = (typeof PREFERENCES)[number];
export type DayPlan = S['DayPlan'];
export type VersionsView = S['VersionsView'];
export type VersionView = S['VersionView'];
export type TripPage = S['TripPage'];
export type TripStatus = S['TripStatus'];
export type DeleteTripsResponse = S['DeleteTripsResponse'];
export type ShareResponse = S['ShareResponse'];
export type SharedTripView = S['SharedTripView'];
export type UpdateProfileRequest = S['UpdateProfileRequest'];
export type EmailChangeResponse = S['EmailChangeResponse'];
export type PasswordChangeRequest = S['PasswordChangeRequest'];
/** 409 `SCHEDULE_RULES_VIOLATED`'s `extra`: the edited day as it would be, and the broken rules. */
export type RejectedEdit = S['RejectedEdit'];
export type Violation = S['Violation'];
/** `POST /trips/{id}/schedules/check` (TRIP-062). */
export type ChangeCheck = S['ChangeReport'];
export type Suggestion = S['Suggestion'];
export type ChangeReason = S['ChangeReason'];
export type AffectedStop = S['AffectedStop'];
export type AffectedDay = S['AffectedDay'];
/** AI-020 recommendation for a place in a trip. */
export type Recommendation = S['Recommendation'];

// The location API documents these bodies as free objects (`Object` in the OpenAPI), so
// they are written out here from crates/tripgen/location/src/{dto,place,nearby}.rs; the e2e test
// renders them from the real server.
export interface GeoPoint {
  lat: number;
  lon: number;
}
export interface PlaceNames {
  local: string;
  en?: string | null;
  ko?: string | null;
}
export interface PlaceSummary {
  id: string;
  names: PlaceNames;
  position: GeoPoint;
  category: string;
  kind: string;
  cuisine: string[];
  address?: string | null;
  wheelchair: string;
  exposure: string;
}
export interface NearbyHit {
  place: PlaceSummary;
  travel: { minutes: number; metres: number };
  rating?: number | null;
  reviewCount?: number | null;
}
export interface NearbyPage {
  items: NearbyHit[];
  nextCursor?: string | null;
  total: number;
}
export interface NearbyBody {
  origin: { lat?: number; lon?: number; placeId?: string; query?: string };
  mode: 'walk' | 'transit' | 'car';
  budget: 10 | 30 | 60;
  category: 'all' | 'sights' | 'food' | 'laundry';
  keyword?: string;
  sort: 'travelTime' | 'rating' | 'name' | 'reviewCount';
  limit?: number;
  cursor?: string;
}
/** Minutes since local midnight, `end` exclusive (1440 = midnight). */
export interface MinuteRange {
  start: number;
  end: number;
}
export interface DaySchedule {
  date: string;
  open: MinuteRange[];
  unknown: MinuteRange[];
}
export interface Hours {
  timeZone: string;
  localTime: string;
  state: 'open' | 'closed' | 'unknown';
  minuteOfDay: number;
  nextChange?: string | null;
  today: DaySchedule;
  week: DaySchedule[];
  openingHours?: string | null;
  malformed: boolean;
}
export interface Place {
  id: string;
  names: PlaceNames;
  position: GeoPoint;
  category: string;
  kind: string;
  visitMinutes: number;
  exposure: string;
  wheelchair: string;
  address: Record<string, string | null | undefined>;
  phone?: string | null;
  website?: string | null;
  cuisine: string[];
  source: Record<string, unknown>;
}
export interface PlaceDetail {
  place: Place;
  city?: { id: string; name: string; nameEn?: string | null; nameKo?: string | null } | null;
  hours: Hours;
  rating?: number | null;
  reviewCount?: number | null;
  searchKeyword: string;
  parkingKeyword: string;
  directionsUrl: string;
  attribution: string;
  reviews?: { author?: string; rating?: number; text: string; time?: string }[];
}

/** GeoJSON of `GET /trips/{id}/route` (crates/tripgen/trip/src/domain/route.rs). */
export interface RouteFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: [number, number][] };
  properties: {
    kind: 'anchor' | 'stop' | 'leg';
    day: number;
    colorIndex: number;
    role?: 'start' | 'end';
    number?: number;
    name?: string;
    placeId?: string;
    stopKind?: string;
    category?: string;
    time?: string;
    start?: string;
    end?: string;
    mode?: string;
    minutes?: number;
    metres?: number;
    dashed?: boolean;
    warnings?: number;
  };
}
export interface RouteCollection {
  type: 'FeatureCollection';
  features: RouteFeature[];
}
