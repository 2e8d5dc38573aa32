import type { Companion, EventDefinition, Invitation, ResponseStatus } from '../model.js';
import type { Clock, CumbreStore, EventRecord } from '../ports.js';
import { isOpen } from './request.js';
import { waitlistPositions } from '../invitation-status.js';

export interface SessionView {
  id: string;
  name: EventDefinition['sessions'][number]['name'];
  start: string;
  end: string;
  requiresAccreditation: boolean;
  /** Cancelled by the organizers: shown, never answerable. */
  cancelled?: boolean;
  status: ResponseStatus;
  seats: number;
  /** 1-based place in the waitlist, while waitlisted. */
  waitlistPosition?: number;
}

export interface RsvpView {
  invitation: {
    id: string;
    name: string;
    title?: string;
    organization?: string;
    language: Invitation['language'];
    guestsAllowed: number;
    guests: number;
    /** The named guests; never their accreditation, only whether it is on file. */
    companions: Companion[];
    dietary?: string;
    accessibility?: string;
    badgeName?: string;
    topics: Invitation['topics'];
    hasAccreditation: boolean;
    status: Invitation['status'];
  };
  event: {
    id: string;
    name: EventDefinition['name'];
    venue: EventDefinition['venue'];
    timezone: string;
    languages: EventDefinition['languages'];
    /** The topics invitees may pick, named in every language. */
    topics: EventDefinition['topics'];
  };
  deadline: string;
  open: boolean;
  /** Answers closed early by the organizers (before the deadline). */
  closedEarly: boolean;
  sessions: SessionView[];
}

/** What the invitee's page shows: their invitation, the event, and each session with their standing and waitlist place. */
export const rsvpView = async (deps: { store: Pick<CumbreStore, 'countWaitlistedBefore'>; clock: Clock }, invitation: Invitation, event: EventRecord): Promise<RsvpView> => {
  const def = event.definition;
  const positions = await waitlistPositions(invitation, (e, s, ticket) => deps.store.countWaitlistedBefore(e, s, ticket));
  return {
    invitation: {
      id: invitation.id,
      name: invitation.name,
      title: invitation.title,
      organization: invitation.organization,
      language: invitation.language,
      guestsAllowed: invitation.guestsAllowed,
      guests: invitation.guests,
      companions: (invitation.companions ?? []).map((c) => ({ ...c })),
      dietary: invitation.dietary,
      accessibility: invitation.accessibility,
      badgeName: invitation.badgeName,
      topics: invitation.topics,
      hasAccreditation: invitation.hasAccreditation,
      status: invitation.status,
    },
    event: { id: def.id, name: def.name, venue: def.venue, timezone: def.timezone, languages: def.languages, topics: def.topics },
    deadline: def.rsvpDeadline,
    open: isOpen(def, deps.clock.now()),
    closedEarly: Boolean(def.rsvpClosed),
    sessions: def.sessions
      .filter((s) => invitation.sessions.includes(s.id) || invitation.cancelledSessions?.includes(s.id))
      .map((s) => {
        const r = invitation.responses[s.id];
        const position = positions.get(s.id);
        return {
          id: s.id,
          name: s.name,
          start: s.start,
          end: s.end,
          requiresAccreditation: s.requiresAccreditation,
          ...(s.cancelled ? { cancelled: true } : {}),
          status: r?.status ?? 'pending',
          seats: r?.seats ?? 0,
          ...(position ? { waitlistPosition: position } : {}),
        };
      }),
  };
};
