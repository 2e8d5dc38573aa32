import { grantsOf, groupsClaim, rolesIn, type Role } from '#domain/access/roles.js';

/**
 * The signed-in person's roles in this event, read from their ID token's `cognito:groups` — only
 * to decide which views to show. The API decides what is allowed; a hidden view is a courtesy.
 */
export const rolesFromToken = (idToken: string, eventId: string): Role[] => {
  try {
    const payload = JSON.parse(atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    return rolesIn(grantsOf(groupsClaim(payload['cognito:groups'])), eventId);
  } catch {
    return [];
  }
};

/** Shows each `[data-roles]` element only to the roles it names. */
export const showForRoles = (roles: Role[]) => {
  for (const node of document.querySelectorAll<HTMLElement>('[data-roles]')) node.hidden = !(node.dataset.roles ?? '').split(' ').some((r) => roles.includes(r as Role));
};
