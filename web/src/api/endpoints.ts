import { api } from './client';
import { clearSession, getAccessToken, setSession } from './session';
import type {
  Availability,
  CreateTripRequest,
  DestinationsBatchRequest,
  GenerateRequest,
  GenerationAccepted,
  GeocodeHit,
  JobStatus,
  PasswordCheck,
  Profile,
  RegisterRequest,
  ScheduleView,
  Summary,
  TokenResponse,
  TripDetail,
} from './types';

const enc = encodeURIComponent;

export const users = {
  register: (body: RegisterRequest) => api<Profile>('users/register', { method: 'POST', body, auth: false }),
  async login(username: string, password: string, rememberMe: boolean) {
    const t = await api<TokenResponse>('users/login', {
      method: 'POST',
      body: { username, password, rememberMe },
      auth: false,
    });
    setSession(t);
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
};

export const locations = {
  geocode: (q: string, signal?: AbortSignal) => api<GeocodeHit[]>(`locations/geocode?q=${enc(q)}`, { signal }),
};
