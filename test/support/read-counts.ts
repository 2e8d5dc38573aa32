import type { CumbreStore } from '#domain/ports.js';

type InvitationReads = Pick<CumbreStore, 'peekInvitationByTokenHash' | 'findInvitationByTokenHash' | 'getInvitation'>;
export interface ReadCounts {
  peek: number;
  token: number;
  invitation: number;
}

/**
 * The store as another function instance would use it, with its reads of invitations counted by kind
 * (the token index's copy, the token item, the invitation by key); everything else is the store's
 * own. Pass one `counts` to several wrappers to count across instances.
 */
export const countingInvitationReads = <S extends InvitationReads>(store: S, counts: ReadCounts = { peek: 0, token: 0, invitation: 0 }) => {
  const counted = Object.create(store) as S;
  counted.peekInvitationByTokenHash = async (h) => (counts.peek++, store.peekInvitationByTokenHash(h));
  counted.findInvitationByTokenHash = async (h) => (counts.token++, store.findInvitationByTokenHash(h));
  counted.getInvitation = async (e, i) => (counts.invitation++, store.getInvitation(e, i));
  return { store: counted, counts };
};

export const totalReads = (c: ReadCounts) => c.peek + c.token + c.invitation;
