import { api, authFetch, toApiError } from './client';
import { clearSession, getAccessToken, setSession } from './session';
import type {
  Availability,
  ChangeCheck,
  Recommendation,
  CreateTripRequest,
  DayView,
  DeleteTripsResponse,
  EmailChangeResponse,
  NearbyBody,
  NearbyPage,
  PasswordChangeRequest,
  PlaceDetail,
  Hours,
  RouteCollection,
  ShareResponse,
  SharedTripView,
  TripPage,
  UpdateProfileRequest,
  VersionsView,
  DestinationsBatchRequest,
  GenerateRequest,
  GenerationAccepted,
  GeocodeHit,
  CatalogueCity,
  JobStatus,
  PasswordCheck,
  Profile,
  RegisterRequest,
  ScheduleView,
  Summary,
  TokenResponse,
  TripDetail,
} from './types';

// Response types generated from the OpenAPI document, re-exported for the pages.
export type { AffectedDay, AffectedStop, ChangeCheck, ChangeReason, Recommendation, Suggestion } from './types';

const enc = encodeURIComponent;

export const users = {
  register: (body: RegisterRequest) => api<Profile>('users/register', { method: 'POST', body, auth: false }),
  async login(username: string, password: string, rememberMe: boolean) {
    const t = await api<TokenResponse>('users/login', {
      method: 'POST',
      body: { username, password, rememberMe },
      auth: false,
    });
    setSession(t, rememberMe);
    return t.user;
  },
  async logout() {
    try {
      if (getAccessToken()) await api<void>('users/logout', { method: 'POST' });
    } finally {
      clearSession();
    }
  },
  profile: () => api<Profile>('users/profile'),
  updateProfile: (body: UpdateProfileRequest) => api<Profile>('users/profile', { method: 'PUT', body }),
  emailChange: (email: string) =>
    api<EmailChangeResponse>('users/profile/email-change', { method: 'POST', body: { email } }),
  emailVerify: (code: string) => api<Profile>('users/profile/email-verify', { method: 'POST', body: { code } }),
  password: (body: PasswordChangeRequest) => api<void>('users/profile/password', { method: 'PUT', body }),
  avatar(file: Blob, name: string) {
    const form = new FormData();
    form.append('file', file, name);
    return api<Profile>('users/profile/avatar', { method: 'POST', form });
  },
  checkUsername: (u: string, signal?: AbortSignal) =>
    api<Availability>(`users/check/username/${enc(u)}`, { auth: false, signal }),
  checkEmail: (e: string, signal?: AbortSignal) =>
    api<Availability>(`users/check/email/${enc(e)}`, { auth: false, signal }),
  checkPassword: (password: string, username: string, signal?: AbortSignal) =>
    api<PasswordCheck>('users/check/password', { method: 'POST', body: { password, username }, auth: false, signal }),
};

export const trips = {
  summary: () => api<Summary>('trips/summary'),
  get: (id: string) => api<TripDetail>(`trips/${enc(id)}`),
  create: (body: CreateTripRequest) => api<TripDetail>('trips', { method: 'POST', body }),
  basicInfo: (id: string, body: CreateTripRequest) =>
    api<TripDetail>(`trips/${enc(id)}/basic-info`, { method: 'PUT', body }),
  destinations: (id: string, body: DestinationsBatchRequest) =>
    api<TripDetail>(`trips/${enc(id)}/destinations/batch`, { method: 'PUT', body }),
  generate: (id: string, body: GenerateRequest) =>
    api<GenerationAccepted>(`trips/${enc(id)}/schedules/generate`, { method: 'POST', body }),
  generation: (id: string, rid: string, signal?: AbortSignal) =>
    api<JobStatus>(`trips/${enc(id)}/schedules/generate/${enc(rid)}`, { signal }),
  cancelGeneration: (id: string, rid: string) =>
    api<JobStatus>(`trips/${enc(id)}/schedules/generate/${enc(rid)}`, { method: 'DELETE' }),
  schedules: (id: string) => api<ScheduleView>(`trips/${enc(id)}/schedules`),
  /** New order of the day's place ids; 409 SCHEDULE_RULES_VIOLATED unless `force`. */
  editDay: (id: string, day: number, placeIds: string[], force = false) =>
    api<DayView>(`trips/${enc(id)}/schedules/days/${day}${force ? '?force=true' : ''}`, {
      method: 'PUT',
      body: { placeIds },
    }),
  regenerateDay: (id: string, day: number, body: GenerateRequest) =>
    api<GenerationAccepted>(`trips/${enc(id)}/schedules/days/${day}/regenerate`, { method: 'POST', body }),
  versions: (id: string, day: number) => api<VersionsView>(`trips/${enc(id)}/schedules/days/${day}/versions`),
  restore: (id: string, day: number, v: number) =>
    api<DayView>(`trips/${enc(id)}/schedules/days/${day}/versions/${v}/restore`, { method: 'POST' }),
  route: (id: string, day?: number) =>
    api<RouteCollection>(`trips/${enc(id)}/route${day ? `?day=${day}` : ''}`),
  list: (q: { status?: string; q?: string; sort?: string; page?: number; size?: number }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
    return api<TripPage>(`trips?${p}`);
  },
  remove: (ids: string[]) => api<DeleteTripsResponse>('trips/delete', { method: 'POST', body: { ids } }),
  /** The current link, unchanged (404 SHARE_NOT_FOUND when the trip is not shared). */
  currentShare: (id: string) => api<ShareResponse>(`trips/${enc(id)}/share`),
  /** A new link; earlier links of the trip stop working. */
  /** A new link (earlier ones stop working); `expiresAt` (ISO) when it should stop by itself. */
  share: (id: string, expiresAt?: string | null) =>
    api<ShareResponse>(`trips/${enc(id)}/share`, { method: 'POST', ...(expiresAt ? { body: { expiresAt } } : {}) }),
  unshare: (id: string) => api<void>(`trips/${enc(id)}/share`, { method: 'DELETE' }),
  shared: (token: string) => api<SharedTripView>(`trips/shared/${enc(token)}`, { auth: false }),
  sharedSchedules: (token: string) => api<ScheduleView>(`trips/shared/${enc(token)}/schedules`, { auth: false }),
  sharedRoute: (token: string, day?: number) =>
    api<RouteCollection>(`trips/shared/${enc(token)}/route${day ? `?day=${day}` : ''}`, { auth: false }),
  check: (id: string) => api<ChangeCheck>(`trips/${enc(id)}/schedules/check`, { method: 'POST', body: {} }),
  /** Export as a file: the blob and the server's file name. */
  async export(id: string, body: { format: ExportFormat; days?: number[]; includeMap?: boolean }) {
    const res = await authFetch(`trips/${enc(id)}/schedules/export`, {
      method: 'POST',
      body,
      headers: { Accept: '*/*' },
    });
    if (!res.ok) throw await toApiError(res);
    return { blob: await res.blob(), disposition: res.headers.get('Content-Disposition') };
  },
};

export type ExportFormat = 'pdf' | 'png' | 'ics' | 'gpx';

export const locations = {
  geocode: (q: string, signal?: AbortSignal) => api<GeocodeHit[]>(`locations/geocode?q=${enc(q)}`, { signal }),
  /** The cities the catalogue holds (empty: nothing imported yet). */
  cities: () => api<CatalogueCity[]>('locations/cities'),
  nearby: (body: NearbyBody, signal?: AbortSignal) =>
    api<NearbyPage>('locations/search/nearby', { method: 'POST', body, signal }),
  place: (pid: string) => api<PlaceDetail>(`locations/places/${enc(pid)}`),
  /** The place's hours for the week from `date` (YYYY-MM-DD, the place's local date). */
  hours: (pid: string, date: string) => api<Hours>(`locations/places/${enc(pid)}/business-hours?date=${enc(date)}`),
};

export const ai = {
  /** The place page's section: `GET /locations/places/{pid}/recommendations?tripId=`. */
  recommendations: (pid: string, tripId: string) =>
    api<Recommendation>(`locations/places/${enc(pid)}/recommendations?tripId=${enc(tripId)}`),
};
