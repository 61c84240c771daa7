// Friendly names for the generated OpenAPI types (src/api/schema.ts, `npm run gen:api`).
import type { components } from './schema';

type S = components['schemas'];
export type Problem = S['Problem'];
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
