import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  GetGroupCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { PersonExistsError, PersonNotFoundError, type Directory, type Person } from '#domain/access/people.js';

const attr = (attrs: AttributeType[] | undefined, name: string) => attrs?.find((a) => a.Name === name)?.Value ?? '';

/**
 * A username from the email, for pools that sign in by email as an alias (Cognito refuses an
 * email-shaped username there). Pools whose usernames *are* emails (`UsernameAttributes`, as
 * cognito-local's pools are) get the email itself.
 */
export const usernameFor = (email: string) =>
  `${
    email
      .split('@')[0]
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 40) || 'person'
  }-${randomBytes(3).toString('hex')}`;

/** The organizers' user pool as a directory of people; SDK errors become the domain's. */
export class CognitoDirectory implements Directory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  private emailUsernames?: Promise<boolean>;

  private async usernameFor(email: string): Promise<string> {
    this.emailUsernames ??= this.client.send(new DescribeUserPoolCommand({ UserPoolId: this.userPoolId })).then((r) => (r.UserPool?.UsernameAttributes ?? []).includes('email'));
    return (await this.emailUsernames) ? email : usernameFor(email);
  }

  private async groupsOf(username: string): Promise<string[]> {
    const groups: string[] = [];
    let next: string | undefined;
    do {
      const res = await this.client.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username, NextToken: next }));
      groups.push(...(res.Groups ?? []).map((g) => g.GroupName!).filter(Boolean));
      next = res.NextToken;
    } while (next);
    return groups;
  }

  async list(): Promise<Person[]> {
    const people: Person[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListUsersCommand({ UserPoolId: this.userPoolId, PaginationToken: token }));
      for (const u of res.Users ?? [])
        people.push({
          username: u.Username!,
          email: attr(u.Attributes, 'email'),
          status: u.UserStatus ?? 'UNKNOWN',
          enabled: u.Enabled ?? true,
          groups: await this.groupsOf(u.Username!),
          mfa: false,
          createdAt: u.UserCreateDate?.toISOString(),
        });
      token = res.PaginationToken;
    } while (token);
    return people;
  }

  async get(username: string): Promise<Person | undefined> {
    try {
      const u = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }));
      return {
        username: u.Username!,
        email: attr(u.UserAttributes, 'email'),
        status: u.UserStatus ?? 'UNKNOWN',
        enabled: u.Enabled ?? true,
        groups: await this.groupsOf(u.Username!),
        mfa: (u.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'),
        createdAt: u.UserCreateDate?.toISOString(),
      };
    } catch (err) {
      if ((err as Error).name === 'UserNotFoundException') return undefined;
      throw err;
    }
  }

  async invite(email: string): Promise<Person> {
    try {
      const res = await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: await this.usernameFor(email),
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const u = res.User!;
      return {
        username: u.Username!,
        email,
        status: u.UserStatus ?? 'FORCE_CHANGE_PASSWORD',
        enabled: u.Enabled ?? true,
        groups: [],
        mfa: false,
        createdAt: u.UserCreateDate?.toISOString(),
      };
    } catch (err) {
      if ((err as Error).name === 'UsernameExistsException' || (err as Error).name === 'AliasExistsException') throw new PersonExistsError(email);
      throw err;
    }
  }

  async addToGroup(username: string, group: string): Promise<void> {
    // Created only when missing: Cognito refuses an existing group (GroupExistsException), but
    // cognito-local overwrites it and its members with it, so the local cloud once lost the seeded
    // viewer's role the moment an admin invited another viewer.
    const exists = await this.client.send(new GetGroupCommand({ UserPoolId: this.userPoolId, GroupName: group })).then(
      () => true,
      (err: Error) => {
        if (err.name === 'ResourceNotFoundException') return false;
        throw err;
      },
    );
    if (!exists)
      await this.client.send(new CreateGroupCommand({ UserPoolId: this.userPoolId, GroupName: group })).catch((err: Error) => {
        if (err.name !== 'GroupExistsException') throw err;
      });
    await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group })).catch(this.notFound(username));
  }

  async removeFromGroup(username: string, group: string): Promise<void> {
    await this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group })).catch(this.notFound(username));
  }

  async remove(username: string): Promise<void> {
    await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username })).catch(this.notFound(username));
  }

  private notFound =
    (username: string) =>
    (err: unknown): never => {
      if ((err as Error).name === 'UserNotFoundException') throw new PersonNotFoundError(username);
      throw err;
    };
}
