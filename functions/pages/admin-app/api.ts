import type {
  AccreditationList,
  AnswerFormView,
  InvitationChangeResponse,
  AuditPage,
  CapacityReport,
  EventDetail,
  EventList,
  ClearanceResponse,
  PeoplePage,
  PersonView,
  ErrorResponse,
  ImportResponse,
  InvitationDetail,
  InvitationPage,
  LinkResponse,
  ResendResponse,
  DueRun,
  MessagePreview,
  MessageSent,
  MessageSummary,
  SessionRequest,
  SessionResponse,
} from '#domain/organizer-api.js';
import type { ArrivalsReport } from '#domain/checkin/service.js';

/** A refusal from the API: its HTTP status and, when it sent one, its `{ error, message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorResponse> = {},
    /** The answer's `Retry-After` in seconds, when it asked to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message ?? String(status));
  }
}

/** Thrown when there is no token or the API said 401; the session has already been ended. */
export class SessionExpiredError extends Error {}

export interface ApiSession {
  /** The organizer's ID token, or undefined once it expired. */
  token(): string | undefined;
  /** Called when the API refuses the token: the dashboard signs out. */
  expired(): void;
}

const readJson = async (res: Response): Promise<unknown> => res.json().catch(() => ({}));

/** The sign-in exchange: no token yet, so outside the organizer API. */
export const postSession = async (body: SessionRequest): Promise<{ ok: true; data: SessionResponse } | { ok: false; status: number; data: Partial<ErrorResponse> }> => {
  const res = await fetch('/admin/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  const data = await readJson(res);
  return res.ok ? { ok: true, data: data as SessionResponse } : { ok: false, status: res.status, data: data as Partial<ErrorResponse> };
};

export type ListFilters = Partial<Record<'q' | 'status' | 'category' | 'country' | 'sort', string>>;

/**
 * Requests with the organizer's token: the event's routes under its base, people and the list of
 * events outside it. A missing token, or a 401, ends the session and throws SessionExpiredError.
 */
const authorizedFetch = (eventId: string, session: ApiSession) => {
  const base = `/events/${encodeURIComponent(eventId)}`;

  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const token = session.token();
    if (!token) {
      session.expired();
      throw new SessionExpiredError();
    }
    // People and the list of events are not per event: their routes stand outside the event's base.
    const res = await fetch(path.startsWith('/people') || path === '/events' ? path : base + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
      credentials: 'omit',
    });
    if (res.status === 401) {
      session.expired();
      throw new SessionExpiredError();
    }
    return res;
  };

  /** The answer's JSON as `T`; a refusal is an ApiError with the API's `{ error, message, details }`. */
  const getJson = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await request(path, init);
    const data = await readJson(res);
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
      throw new ApiError(res.status, data as Partial<ErrorResponse>, Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    return data as T;
  };

  return { request, getJson };
};

/**
 * The organizer API of one event, with the organizer's token. Every answer is typed by the
 * contract the handlers build (functions/domain/organizer-api.ts).
 */
export const organizerApi = (eventId: string, session: ApiSession) => {
  const { request, getJson } = authorizedFetch(eventId, session);
  const invitation = (id: string) => `/invitations/${encodeURIComponent(id)}`;
  let eventList: Promise<EventList> | undefined;

  return {
    capacity: () => getJson<CapacityReport>('/capacity'),
    // events as data
    eventDetail: () => getJson<EventDetail>(''),
    saveEvent: (definition: object) => getJson<EventDetail>('', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) }),
    createEvent: (definition: object) => getJson<EventDetail>('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(definition) }),
    invitations: (filters: ListFilters, limit: number, cursor?: string) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
      params.set('limit', String(limit));
      if (cursor) params.set('cursor', cursor);
      return getJson<InvitationPage>(`/invitations?${params}`);
    },
    invitation: (id: string) => getJson<InvitationDetail>(invitation(id)),
    resend: (id: string) => getJson<ResendResponse>(`${invitation(id)}/resend`, { method: 'POST' }),
    badgeLink: (id: string) => getJson<LinkResponse>(`${invitation(id)}/badge`),
    badgeSheetLink: (lang: string) => getJson<LinkResponse>(`/badges.pdf?lang=${lang}`),
    /** The CSV import; a refusal (with its rows and fields) is an ApiError, not a thrown network error. */
    importCsv: (csv: string, dryRun: boolean) =>
      getJson<ImportResponse>(`/invitations${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv }),
    /** A file export (CSV), as a Blob. */
    file: async (path: `${'/attendees.csv' | '/accreditation' | '/checkin.csv'}?${string}`): Promise<Blob> => {
      const res = await request(path, { headers: { accept: '*/*' } });
      if (!res.ok) throw new ApiError(res.status, (await readJson(res)) as Partial<ErrorResponse>);
      return res.blob();
    },
    accreditation: () => getJson<AccreditationList>('/accreditation?format=json'),
    /** check-in: arrivals per session, no-shows and two-door conflicts. */
    arrivals: () => getJson<ArrivalsReport>('/checkin/arrivals'),
    /** `holder`: a companion of the invitation (`c1`…), or empty for the invitee. */
    setClearance: (id: string, state: 'cleared' | 'refused', note: string, holder = '') =>
      getJson<ClearanceResponse>(`/accreditation/${encodeURIComponent(id)}/clearance`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state, note, ...(holder ? { holder } : {}) }),
      }),
    audit: (query: string) => getJson<AuditPage>(`/audit?${query}`),
    /** The events this person holds a role in (admin: all), by name: read once per page, for the switcher and the people's role editor. */
    events: () =>
      (eventList ??= getJson<EventList>('/events').catch((err: unknown) => {
        eventList = undefined;
        throw err;
      })),
    people: () => getJson<PeoplePage>('/people'),
    peopleAudit: (limit?: number) => getJson<AuditPage>(`/people/audit${limit ? `?limit=${limit}` : ''}`),
    invite: (email: string, roles: PersonView['roles']) =>
      getJson<PersonView>('/people', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, roles }) }),
    setRoles: (username: string, roles: PersonView['roles']) =>
      getJson<PersonView>(`/people/${encodeURIComponent(username)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ roles }) }),
    // reminders
    runReminders: () => getJson<DueRun>('/reminders/run', { method: 'POST' }),
    previewMessage: (body: unknown) =>
      getJson<MessagePreview>('/messages/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    sendMessage: (body: unknown) => getJson<MessageSent>('/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    messages: () => getJson<{ items: MessageSummary[] }>('/messages'),
    removePerson: (username: string) => getJson<{ removed: string }>(`/people/${encodeURIComponent(username)}`, { method: 'DELETE' }),
    // invitations (organizer edits)
    editInvitation: (id: string, body: Record<string, unknown>) =>
      getJson<InvitationChangeResponse>(invitation(id), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    replaceInvitee: (id: string, body: Record<string, unknown>) =>
      getJson<InvitationChangeResponse>(`${invitation(id)}/replace`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    revokeInvitation: (id: string, body: { version: number; reason?: string }) =>
      getJson<InvitationChangeResponse>(`${invitation(id)}/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    answerForm: (id: string) => getJson<AnswerFormView>(`${invitation(id)}/answer`),
    /** The RSVP form's own fields, form-encoded: the API reads them as the invitee's page does. */
    answerFor: (id: string, form: URLSearchParams) =>
      getJson<AnswerFormView>(`${invitation(id)}/answer`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }),
  };
};

export type OrganizerApi = ReturnType<typeof organizerApi>;
