// Names for the generated OpenAPI types (schema.ts: `npm run gen:api`), plus the few objects
// the document leaves open.
import type { components } from './schema';

type S = components['schemas'];
export type Profile = S['Profile'];
export type Occupation = S['OccupationDto'];
export type SignInResponse = S['SignInResponse'];
export type StartResponse = S['StartResponse'];
export type Checkup = S['Checkup'];
export type CheckupItem = S['CheckupItem'];
export type Bands = S['BandsDto'];
export type Band = S['BandDto'];
export type CheckupHistory = S['HistoryResponse'];
export type SyncResponse = S['SyncResponse'];
export type CheckupFile = S['CheckupFile'];
export type CurrentGoal = S['CurrentGoal'];
export type TodayMission = S['TodayMission'];
export type CompletionAnswer = S['CompletionAnswer'];
export type GoalHistory = S['HistoryAnswer'];
export type GoalCreated = S['GoalCreated'];
export type ResetAnswer = S['ResetAnswer'];
export type Recommendation = S['RecommendationDto'];
export type RecommendedMission = S['RecommendedMission'];
export type Diagnosis = S['DiagnosisDto'];
export type ChatReply = S['ChatReply'];
export type ChatSessions = S['SessionPage'];
export type ChatMessages = S['MessagePage'];
export type Encouragement = S['Encouragement'];
export type NotificationPage = S['NotificationPage'];
export type NotificationItem = S['NotificationItem'];

/** The checkup's link to its data source (HS-HEALTH-010; an open object in the document). */
export interface LinkInfo {
  source?: string;
  dataset?: string;
  referenceYear?: number;
  matchedSex?: string;
  matchedAgeBand?: string | number;
  notice?: string | null;
}

export type Status = 'normal' | 'warning' | 'danger';
