import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { PEOPLE_PENDING_PK } from '../../functions/adapters/dynamo-people-changes.js';
import { grantKeyVia, grantTableAccess } from './access.js';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AppFunction } from './app-function.js';
import type { OrganizerAccess } from './organizer-access.js';
import type { ProtectedData } from './protected-data.js';

export interface PeopleAdminProps {
  access: OrganizerAccess;
  userPool: IUserPool;
  /** The main table, read to check that an event named in a role exists. */
  table: ITable;
  /** The main table's key (reads go through DynamoDB only). */
  dataKey: IKey;
  data: ProtectedData;
  logLevel?: string;
}

/**
 * `admin`'s people routes: invite (Cognito AdminCreateUser with its invitation email), roles as
 * group memberships, removal. The function may touch this pool's users and groups and nothing
 * else in Cognito; every change is audited.
 */
export class PeopleAdmin extends Construct {
  readonly fn: AppFunction;

  constructor(scope: Construct, id: string, props: PeopleAdminProps) {
    super(scope, id);
    const { access, userPool, table, data, logLevel } = props;
    this.fn = new AppFunction(this, 'Fn', {
      handler: 'people',
      logLevel,
      environment: { USER_POOL_ID: userPool.userPoolId, TABLE_NAME: table.tableName, AUDIT_TABLE: data.audit.tableName },
    });
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminDeleteUser',
          'cognito-idp:AdminGetUser',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminRemoveUserFromGroup',
          'cognito-idp:AdminListGroupsForUser',
          'cognito-idp:ListUsers',
          'cognito-idp:CreateGroup',
          'cognito-idp:GetGroup',
          'cognito-idp:DescribeUserPool',
        ],
        resources: [userPool.userPoolArn],
      }),
    );
    grantTableAccess(this.fn, 'people', table, props.dataKey);
    // Its pending changes (the outbox of changes to Cognito), written with their audit records:
    // on the main table, but only in their own partition.
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PEOPLE_PENDING_PK] } },
      }),
    );
    grantKeyVia(this.fn, props.dataKey, 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']);
    data.grantAuditAppend(this.fn);
    data.grantAuditRead(this.fn);
    access.serve('people', this.fn);
  }
}
