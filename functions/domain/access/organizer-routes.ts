import type { Role } from './roles.js';

/**
 * Every route that needs an organizer's token, the function that serves it and the roles it
 * admits: the one place access is decided. The stack adds each route with the JWT authorizer and
 * hands each function the roles of its routes (`ROUTE_ROLES`); the function's middleware enforces
 * them from the token's `cognito:groups`. A route missing here cannot be added with the authorizer,
 * and an entry no function serves fails the synth.
 *
 * `admin` is admitted everywhere (every event, and the people who use Cumbre); `door` (door staff)
 * only at check-in: the door package, the scan upload and security's clearance states.
 */
export const ORGANIZER_ROUTES = {
  'POST /events/{eventId}/invitations': { handler: 'import-invitations', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/invitations': { handler: 'list-invitations', roles: ['admin', 'organizer', 'security', 'viewer'] },
  'GET /events/{eventId}/capacity': { handler: 'get-capacity', roles: ['admin', 'organizer', 'security', 'viewer'] },
  'GET /events/{eventId}/invitations/{invitationId}': { handler: 'invitation-detail', roles: ['admin', 'organizer', 'security', 'viewer'] },
  'POST /events/{eventId}/invitations/{invitationId}/resend': { handler: 'invitation-detail', roles: ['admin', 'organizer'] },
  // invitations (organizer edits)
  'PATCH /events/{eventId}/invitations/{invitationId}': { handler: 'invitation-admin', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/invitations/{invitationId}/replace': { handler: 'invitation-admin', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/invitations/{invitationId}/revoke': { handler: 'invitation-admin', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/invitations/{invitationId}/answer': { handler: 'invitation-admin', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/invitations/{invitationId}/answer': { handler: 'invitation-admin', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/invitations/{invitationId}/badge': { handler: 'badge-link', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/badges.pdf': { handler: 'badge-sheet', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/attendees.csv': { handler: 'admin-export-attendees', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/accreditation': { handler: 'export-accreditation', roles: ['admin', 'security'] },
  'PUT /events/{eventId}/accreditation/{invitationId}/clearance': { handler: 'export-accreditation', roles: ['admin', 'security'] },
  'GET /events/{eventId}/audit': { handler: 'audit-trail', roles: ['admin', 'security'] },
  'GET /events/{eventId}/audit.csv': { handler: 'audit-trail', roles: ['admin', 'security'] },
  // events as data: creating an event is admin's; editing one is its organizers'
  // the events a person holds a role in (every event for admin), by name: the dashboard's event switcher
  'GET /events': { handler: 'manage-event', roles: ['admin', 'organizer', 'security', 'door', 'viewer'] },
  'POST /events': { handler: 'manage-event', roles: ['admin'] },
  'GET /events/{eventId}': { handler: 'manage-event', roles: ['admin', 'organizer', 'security', 'viewer'] },
  'PUT /events/{eventId}': { handler: 'manage-event', roles: ['admin', 'organizer'] },
  // check-in: the door device's package and upload, the organizers' arrivals and export; clearance states (no document data) for the door
  'GET /events/{eventId}/checkin': { handler: 'checkin', roles: ['admin', 'organizer', 'door'] },
  'POST /events/{eventId}/checkin/scans': { handler: 'checkin', roles: ['admin', 'organizer', 'door'] },
  'GET /events/{eventId}/checkin/arrivals': { handler: 'checkin', roles: ['admin', 'organizer', 'security', 'viewer'] },
  'GET /events/{eventId}/checkin.csv': { handler: 'checkin', roles: ['admin', 'organizer'] },
  'GET /events/{eventId}/accreditation/clearances': { handler: 'export-accreditation', roles: ['admin', 'security', 'door'] },
  'GET /people': { handler: 'people', roles: ['admin'] },
  'POST /people': { handler: 'people', roles: ['admin'] },
  'PUT /people/{username}': { handler: 'people', roles: ['admin'] },
  'DELETE /people/{username}': { handler: 'people', roles: ['admin'] },
  'GET /people/audit': { handler: 'people', roles: ['admin'] },
  // reminders
  'GET /events/{eventId}/messages': { handler: 'messages', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/messages/preview': { handler: 'messages', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/messages': { handler: 'messages', roles: ['admin', 'organizer'] },
  'POST /events/{eventId}/reminders/run': { handler: 'messages', roles: ['admin', 'organizer'] },
} as const satisfies Record<string, { handler: string; roles: readonly Role[] }>;

export type OrganizerRouteKey = keyof typeof ORGANIZER_ROUTES;
export type OrganizerHandlerName = (typeof ORGANIZER_ROUTES)[OrganizerRouteKey]['handler'];

/** The `ROUTE_ROLES` a function gets: its routes and their roles. */
export const routeRolesFor = (handler: string, table: Record<string, { handler: string; roles: readonly Role[] }> = ORGANIZER_ROUTES) =>
  Object.fromEntries(
    Object.entries(table)
      .filter(([, r]) => r.handler === handler)
      .map(([k, r]) => [k, r.roles]),
  );
