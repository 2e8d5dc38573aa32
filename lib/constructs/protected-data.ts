import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantKeyVia } from './access.js';

export interface ProtectedDataProps {
  /** Retain the tables and key on stack deletion, with deletion protection (production). */
  retain: boolean;
  /** The stack's data key, for the audit table. */
  dataKey: IKey;
}

const table = (scope: Construct, id: string, key: IKey, retain: boolean) =>
  new Table(scope, id, {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    deletionProtection: retain,
    removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });

/**
 * The two tables whose access is narrower than the main table's:
 *
 * - **Accreditation** (nationality, ID document number, clearance): its own table under its own
 *   KMS key, so "who can read it" is one question about two ARNs. The RSVP function may only put
 *   records; the accreditation function reads them and records clearance. No other role names it.
 * - **Audit**: records are only ever added (`PutItem` conditioned on a new key); the views may
 *   query; no role may update or delete one.
 *
 * Grants are spelled out action by action (the table's `grant*` helpers would add BatchWrite,
 * Update and Delete), and the infra tests read them back from the synthesized policies.
 */
export class ProtectedData extends Construct {
  readonly accreditationKey: Key;
  readonly accreditation: Table;
  readonly audit: Table;

  constructor(scope: Construct, id: string, props: ProtectedDataProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.accreditationKey = new Key(this, 'AccreditationKey', { enableKeyRotation: true, description: 'Cumbre accreditation data (nationality, ID documents)', removalPolicy });
    this.accreditation = table(this, 'Accreditation', this.accreditationKey, props.retain);
    this.audit = table(this, 'Audit', props.dataKey, props.retain);
  }

  /** The RSVP function: writes an invitee's accreditation in the answer's transaction, never reads it. */
  grantAccreditationWrite(fn: IGrantable) {
    // Put with an answer that brings it; Delete when the invitee declines every session that needs it.
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [this.accreditation.tableArn] }));
    grantKeyVia(fn, this.accreditationKey, 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /** Security's views and the export: read the list, record clearance decisions. */
  grantAccreditationReadAndClearance(fn: IGrantable) {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [this.accreditation.tableArn] }),
    );
    grantKeyVia(fn, this.accreditationKey, 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /** Add records (conditioned on a new key in code); never update or delete. */
  grantAuditAppend(fn: IGrantable) {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.audit.tableArn] }));
    grantKeyVia(fn, this.audit.encryptionKey!, 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt']);
  }

  grantAuditRead(fn: IGrantable) {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [this.audit.tableArn] }));
    grantKeyVia(fn, this.audit.encryptionKey!, 'dynamodb', ['kms:Decrypt']);
  }
}
