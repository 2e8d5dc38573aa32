import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Accreditation, EventDefinition, Invitation, SessionCounters } from '#domain/model.js';
import type { CumbreEvent } from '#domain/outbox.js';
import type { CumbreStore, EventCommit, EventRecord, EventStore, InvitationCommit, NewInvitation, RepairOutcome, WaitlistEntry } from '#domain/ports.js';
import type { AuditEntry } from '#domain/access/audit.js';
import { repairCounters } from './dynamo-store/counters.js';
import { DynamoEventRecords } from './dynamo-store/events.js';
import { commitInvitation } from './dynamo-store/invitation-commit.js';
import { DynamoInvitationRecords } from './dynamo-store/invitations.js';
import { putOutboxEvents } from './dynamo-store/outbox.js';
import { StoreTable } from './dynamo-store/table.js';
import { DynamoWaitlist } from './dynamo-store/waitlist.js';

export const documentClient = (client: DynamoDBClient) => DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/**
 * The RSVP core's store on one DynamoDB table. Seat counters, invitation records and outbox events
 * change in single transactions; condition failures come back as the domain's conflict errors.
 * Each aggregate's reads and writes live in `dynamo-store/` (events, invitations and their commit,
 * waitlist, counters, outbox); this class puts them behind the domain's ports.
 */
export class DynamoCumbreStore implements CumbreStore, EventStore {
  private readonly table: StoreTable;
  private readonly events: DynamoEventRecords;
  private readonly invitations: DynamoInvitationRecords;
  private readonly waitlist: DynamoWaitlist;
  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    /** Nationality and ID documents live in their own table; only the RSVP and accreditation functions are given it. */
    accreditationTable?: string,
    /** The audit trail's table: organizers' changes commit with their record (only functions that make them are given it). */
    auditTable?: string,
  ) {
    this.table = new StoreTable(doc, tableName, accreditationTable, auditTable);
    this.events = new DynamoEventRecords(this.table);
    this.invitations = new DynamoInvitationRecords(this.table);
    this.waitlist = new DynamoWaitlist(this.table);
  }

  // Events as data
  getEvent(eventId: string): Promise<EventRecord | undefined> {
    return this.events.getEvent(eventId);
  }
  putEventDefinition(definition: EventDefinition): Promise<'written' | 'kept'> {
    return this.events.putEventDefinition(definition);
  }
  createEvent(definition: EventDefinition): Promise<void> {
    return this.events.createEvent(definition);
  }
  commitEventChange(commit: EventCommit): Promise<void> {
    return this.events.commitEventChange(commit);
  }
  getEventVersion(eventId: string, version: number): Promise<EventDefinition | undefined> {
    return this.events.getEventVersion(eventId, version);
  }
  listEventIds(): Promise<string[]> {
    return this.events.listEventIds();
  }

  // Invitations
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    return this.invitations.findInvitationByTokenHash(tokenHash);
  }
  peekInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    return this.invitations.peekInvitationByTokenHash(tokenHash);
  }
  getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined> {
    return this.invitations.getInvitation(eventId, invitationId);
  }
  getInvitations(eventId: string, invitationIds: string[]): Promise<Invitation[]> {
    return this.invitations.getInvitations(eventId, invitationIds);
  }
  listInvitations(eventId: string): Promise<Invitation[]> {
    return this.invitations.listInvitations(eventId);
  }
  createInvitations(items: NewInvitation[], audit?: AuditEntry): Promise<void> {
    return this.invitations.createInvitations(items, audit);
  }
  commitInvitation(commit: InvitationCommit): Promise<void> {
    return commitInvitation(this.table, commit);
  }
  listAccreditations(eventId: string): Promise<Array<{ invitationId: string; holder?: string; accreditation: Accreditation }>> {
    return this.invitations.listAccreditations(eventId);
  }

  // Waitlist and counters
  listWaitlist(eventId: string, sessionId: string): Promise<WaitlistEntry[]> {
    return this.waitlist.listWaitlist(eventId, sessionId);
  }
  countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number> {
    return this.waitlist.countWaitlistedBefore(eventId, sessionId, ticket);
  }
  removeStaleWaitlistEntry(eventId: string, sessionId: string, ticket: number, invitationId: string): Promise<boolean> {
    return this.waitlist.removeStaleWaitlistEntry(eventId, sessionId, ticket, invitationId);
  }
  repairCounters(eventId: string, sessionId: string, expected: SessionCounters, actual: SessionCounters, audit: { id: string; at: string }): Promise<RepairOutcome> {
    return repairCounters(this.table, eventId, sessionId, expected, actual, audit);
  }

  putOutboxEvents(events: CumbreEvent[]): Promise<void> {
    return putOutboxEvents(this.table, events);
  }
}
