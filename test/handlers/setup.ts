import { ORGANIZER_ROUTES } from '#domain/access/organizer-routes.js';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

// Handler modules read their configuration and the app secret at import (cold start).
process.env.TABLE_NAME = 'cumbre-handler-tests';
process.env.SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cumbre-app';
process.env.PUBLIC_BASE_URL = 'https://rsvp.example.org';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_REGION = 'us-east-1';
mockClient(SecretsManagerClient).on(GetSecretValueCommand).resolves({ SecretString: 'handler-test-secret' });
process.env.EMAIL_QUEUE_URL = 'http://sqs.local/1/email';
process.env.BADGE_QUEUE_URL = 'http://sqs.local/1/badge';
process.env.CAPACITY_QUEUE_URL = 'http://sqs.local/1/capacity';
// A queue worker's own queue (QueueWorker sets it), where it hands messages back.
process.env.QUEUE_URL = 'http://sqs.local/1/own';
process.env.SENDER_EMAIL = 'invitations@cumbre.example';
process.env.ORGANIZER_ALERT_EMAIL = 'ops@cumbre.example';
process.env.BADGE_BUCKET = 'cumbre-badges-test';
process.env.ACCREDITATION_TABLE = 'cumbre-accreditation-tests';
process.env.AUDIT_TABLE = 'cumbre-audit-tests';
process.env.USER_POOL_ID = 'us-east-1_handlertests';
process.env.USER_POOL_CLIENT_ID = 'organizers-client';
// Every organizer route with its roles, from the one table the stack reads.
process.env.ROUTE_ROLES = JSON.stringify(Object.fromEntries(Object.entries(ORGANIZER_ROUTES).map(([k, r]) => [k, r.roles])));
