import { MFA_ROLES, parseGroup } from './roles.js';

/**
 * The ID-token claim naming the groups the pre-token-generation trigger withheld (space-separated),
 * so the dashboard's sign-in can still tell an `admin` or `security` account that it must enrol,
 * and a 403 can say why.
 */
export const WITHHELD_CLAIM = 'withheld_groups';

/** A group whose role must sign in with a TOTP second factor (`admin`, `event:<id>:security`). */
export const requiresTotp = (group: string): boolean => {
  const grant = parseGroup(group);
  return grant !== undefined && MFA_ROLES.includes(grant.role);
};

/**
 * What a token may carry: every group for an account with TOTP enrolled; without it, none that
 * needs TOTP. This is the pool's own rule, so it holds however a token is asked for (the
 * dashboard's sign-in, `InitiateAuth` with the public client id, a token refresh).
 */
export const gateGroups = (groups: readonly string[], totpEnrolled: boolean): { kept: string[]; withheld: string[] } =>
  totpEnrolled ? { kept: [...groups], withheld: [] } : { kept: groups.filter((g) => !requiresTotp(g)), withheld: groups.filter(requiresTotp) };
