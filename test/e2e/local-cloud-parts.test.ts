import { describe, expect, it } from 'vitest';
import { creationOrder, RESOURCE_SUPPORT, unknownResourceTypes } from '../../local/index.js';
import { cronMatches, parseSchedule, UnsupportedScheduleError } from '../../local/event-sources/schedule.js';
import { matches, matchesAny, parsePattern, sqsFilterView, UnsupportedFilterError } from '../../local/filter-pattern.js';
import { isTextContentType, mapResult, matchRoute } from '../../local/gateway.js';
import { references, resolve, UnsupportedIntrinsicError, type PhysicalResource, type ResolveContext } from '../../local/intrinsics.js';
import { apiGatewayClaims } from '../../local/jwt.js';
import { generateSecretString } from '../../local/emulators/secrets.js';
import type { CfnTemplate } from '../../local/template.js';

const template: CfnTemplate = {
  Parameters: { Stage: { Type: 'String', Default: 'dev' }, BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/version' } },
  Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] } },
  Mappings: { Sizes: { dev: { memory: 256 } } },
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table' },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } } },
    Dlq: { Type: 'AWS::SQS::Queue' },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { T: { Ref: 'Table' } } } }, DependsOn: 'Role' },
    Role: { Type: 'AWS::IAM::Role' },
  },
};

const physical: Record<string, PhysicalResource> = {
  Table: { ref: 'Cumbre-dev-Table', attributes: { Arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Cumbre-dev-Table', StreamArn: 'arn:stream' } },
  Pool: { ref: 'local_abc', attributes: {} },
};

const ctx: ResolveContext = {
  template: { ...template, Resources: { ...template.Resources, Pool: { Type: 'AWS::Cognito::UserPool' } } },
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'Cumbre-dev',
  physical: (id) => physical[id],
};

describe('intrinsic resolver', () => {
  it('resolves Ref, Fn::GetAtt and pseudo parameters to local values', () => {
    // Prepare / Act
    const env = resolve<Record<string, unknown>>(
      { TABLE: { Ref: 'Table' }, ARN: { 'Fn::GetAtt': ['Table', 'Arn'] }, DOTTED: { 'Fn::GetAtt': 'Table.StreamArn' }, REGION: { Ref: 'AWS::Region' }, STAGE: { Ref: 'Stage' } },
      ctx,
      'test',
    );
    // Assess
    expect(env).toEqual({ TABLE: 'Cumbre-dev-Table', ARN: physical.Table.attributes.Arn, DOTTED: 'arn:stream', REGION: 'us-east-1', STAGE: 'dev' });
  });

  it('builds the Cognito issuer the way CDK writes it (Fn::Join)', () => {
    const issuer = resolve({ 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Pool' }]] }, ctx, 'test');
    expect(issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/local_abc');
  });

  it('resolves Fn::Sub with variables, attributes and escapes, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap', () => {
    expect(resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Table}/${Table.Arn}/${!Literal}' }, ctx, 't')).toBe(
      `arn:aws:x:us-east-1:000000000000:Cumbre-dev-Table/${physical.Table.attributes.Arn as string}/\${Literal}`,
    );
    expect(resolve({ 'Fn::Sub': ['${A}-${B}', { A: 'x', B: { Ref: 'Table' } }] }, ctx, 't')).toBe('x-Cumbre-dev-Table');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] }, ctx, 't')).toBe('b');
    expect(resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, ctx, 't')).toBe('small');
    expect(resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] }, ctx, 't')).toBe(256);
  });

  it('drops AWS::NoValue from objects and lists', () => {
    expect(resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }, 2] }, ctx, 't')).toEqual({ b: [1, 2] });
  });

  it('names what it cannot resolve: unknown functions, SSM parameters, resources without a local value', () => {
    expect(() => resolve({ 'Fn::ImportValue': 'Shared-Vpc' }, ctx, 'Resources.Fn.Properties')).toThrow(/Resources\.Fn\.Properties: cannot resolve Fn::ImportValue/);
    expect(() => resolve({ Ref: 'BootstrapVersion' }, ctx, 't')).toThrow(UnsupportedIntrinsicError);
    expect(() => resolve({ Ref: 'Queue' }, ctx, 't')).toThrow(/AWS::SQS::Queue Queue has no local value/);
    expect(() => resolve({ 'Fn::GetAtt': ['Table', 'Nope'] }, ctx, 't')).toThrow(/no local attribute Nope \(known: Arn, StreamArn\)/);
  });

  it('finds references for the creation order, and orders dependencies first', () => {
    expect([...references(template.Resources.Queue.Properties)]).toEqual(['Dlq']);
    const order = creationOrder(template.Resources);
    expect(order.indexOf('Dlq')).toBeLessThan(order.indexOf('Queue'));
    expect(order.indexOf('Table')).toBeLessThan(order.indexOf('Fn'));
    expect(order.indexOf('Role')).toBeLessThan(order.indexOf('Fn'));
  });
});

describe('filter patterns', () => {
  const record = {
    eventName: 'INSERT',
    dynamodb: { Keys: { pk: { S: 'EVENT#x' } }, NewImage: { pk: { S: 'OUTBOX#123' }, type: { S: 'rsvp.confirmed' } } },
  };

  it('matches exact values, prefixes, exists and anything-but', () => {
    expect(matches(parsePattern('{"eventName":["INSERT","MODIFY"]}', 't'), record)).toBe(true);
    expect(matches(parsePattern('{"eventName":["REMOVE"]}', 't'), record)).toBe(false);
    expect(matches(parsePattern('{"dynamodb":{"NewImage":{"pk":{"S":[{"prefix":"OUTBOX#"}]}}}}', 't'), record)).toBe(true);
    expect(matches(parsePattern('{"dynamodb":{"NewImage":{"pk":{"S":[{"prefix":"INVITATION#"}]}}}}', 't'), record)).toBe(false);
    expect(matches(parsePattern('{"dynamodb":{"OldImage":[{"exists":false}]}}', 't'), record)).toBe(true);
    expect(matches(parsePattern('{"dynamodb":{"NewImage":[{"exists":true}]}}', 't'), record)).toBe(false); // exists applies to leaves
    expect(matches(parsePattern('{"dynamodb":{"NewImage":{"type":{"S":[{"exists":true}]}}}}', 't'), record)).toBe(true);
    expect(matches(parsePattern('{"eventName":[{"anything-but":"REMOVE"}]}', 't'), record)).toBe(true);
    expect(matches(parsePattern('{"eventName":[{"anything-but":["INSERT","REMOVE"]}]}', 't'), record)).toBe(false);
    expect(matches(parsePattern('{"dynamodb":{"NewImage":{"type":{"S":[{"anything-but":{"prefix":"rsvp."}}]}}}}', 't'), record)).toBe(false);
  });

  it('keeps a record when any filter matches, and everything when there are none', () => {
    const filters = [parsePattern('{"eventName":["REMOVE"]}', 't'), parsePattern('{"eventName":["INSERT"]}', 't')];
    expect(matchesAny(filters, record)).toBe(true);
    expect(matchesAny([], record)).toBe(true);
    expect(matchesAny([filters[0]], record)).toBe(false);
  });

  it('matches SQS bodies as JSON when they are JSON', () => {
    const pattern = parsePattern('{"body":{"type":["badge.requested"]}}', 't');
    expect(matches(pattern, sqsFilterView({ body: '{"type":"badge.requested"}' }))).toBe(true);
    expect(matches(pattern, sqsFilterView({ body: 'not json' }))).toBe(false);
  });

  it('stops on operators it does not implement, naming them', () => {
    expect(() => parsePattern('{"n":[{"numeric":[">",1]}]}', 'Resources.Esm.FilterCriteria')).toThrow(UnsupportedFilterError);
    expect(() => parsePattern('{"n":[{"numeric":[">",1]}]}', 'Resources.Esm.FilterCriteria')).toThrow(/numeric/);
    expect(() => parsePattern('{"$or":[{"a":[1]},{"b":[2]}]}', 't')).toThrow(/\$or/);
    expect(() => parsePattern('{"a":[{"suffix":".png"}]}', 't')).toThrow(/suffix/);
    expect(() => parsePattern('{"a":[{"equals-ignore-case":"x"}]}', 't')).toThrow(/equals-ignore-case/);
  });
});

describe('gateway pieces', () => {
  const routes = ['GET /events/{eventId}', 'GET /events/{eventId}/capacity', 'GET /events/summary', 'ANY /files/{proxy+}', 'POST /rsvp/{token}', 'GET /rsvp/{token}'].map(
    (routeKey) => {
      const [method, path] = routeKey.split(' ') as [string, string];
      return { routeKey, method, segments: path.split('/').slice(1) };
    },
  );

  it('picks the most specific route, decodes path parameters, and misses cleanly', () => {
    expect(matchRoute(routes, 'GET', '/events/summary')?.route.routeKey).toBe('GET /events/summary');
    expect(matchRoute(routes, 'GET', '/events/na%20x')).toMatchObject({ route: { routeKey: 'GET /events/{eventId}' }, params: { eventId: 'na x' } });
    expect(matchRoute(routes, 'GET', '/events/x/capacity')?.params).toEqual({ eventId: 'x' });
    expect(matchRoute(routes, 'DELETE', '/files/a/b.pdf')).toMatchObject({ route: { routeKey: 'ANY /files/{proxy+}' }, params: { proxy: 'a/b.pdf' } });
    expect(matchRoute(routes, 'DELETE', '/rsvp/abc')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/events/x/capacity/more')).toBeUndefined();
  });

  it('passes text bodies as text and base64-encodes forms and binaries', () => {
    expect(isTextContentType('application/json; charset=utf-8')).toBe(true);
    expect(isTextContentType('text/csv')).toBe(true);
    expect(isTextContentType('application/problem+json')).toBe(true);
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(false);
    expect(isTextContentType('multipart/form-data; boundary=x')).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
  });

  it('maps function results as payload format 2.0 does', () => {
    expect(mapResult({ hello: 'world' })).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(mapResult({ hello: 'world' })!.body.toString()).toBe('{"hello":"world"}');
    expect(mapResult('hi')!.body.toString()).toBe('hi');
    const r = mapResult({ statusCode: 201, headers: { 'Content-Type': 'text/html' }, cookies: ['a=1'], body: Buffer.from('<p>').toString('base64'), isBase64Encoded: true })!;
    expect(r).toMatchObject({ status: 201, headers: { 'content-type': 'text/html' }, cookies: ['a=1'] });
    expect(r.body.toString()).toBe('<p>');
    expect(mapResult({ statusCode: 'nope' })).toBeUndefined();
  });

  it('hands JWT claims over as API Gateway does: strings, arrays as [a b]', () => {
    expect(apiGatewayClaims({ sub: 'u1', exp: 1700000000, 'cognito:groups': ['organizers', 'admins'], email_verified: true })).toEqual({
      sub: 'u1',
      exp: '1700000000',
      'cognito:groups': '[organizers admins]',
      email_verified: 'true',
    });
  });
});

describe('schedules', () => {
  it('parses rate and cron expressions and matches cron minutes in UTC', () => {
    expect(parseSchedule('rate(5 minutes)')).toEqual({ kind: 'rate', everyMs: 300_000 });
    expect(parseSchedule('rate(1 hour)')).toEqual({ kind: 'rate', everyMs: 3_600_000 });
    const cron = parseSchedule('cron(0/15 8-18 ? * MON-FRI *)');
    if (cron.kind !== 'cron') throw new Error('expected cron');
    expect(cronMatches(cron.fields, new Date('2026-11-27T09:30:00Z'))).toBe(true); // a Friday
    expect(cronMatches(cron.fields, new Date('2026-11-28T09:30:00Z'))).toBe(false); // Saturday
    expect(cronMatches(cron.fields, new Date('2026-11-27T09:31:00Z'))).toBe(false);
    expect(() => parseSchedule('cron(0 12 L * ? *)')).toThrow(UnsupportedScheduleError);
  });
});

describe('support table and secrets', () => {
  it('lists each type once, with a reason for what it does not emulate', () => {
    const types = RESOURCE_SUPPORT.map((s) => s.type);
    expect(new Set(types).size).toBe(types.length);
    for (const s of RESOURCE_SUPPORT) expect(s.how.length).toBeGreaterThan(10);
    expect(unknownResourceTypes({ Resources: { A: { Type: 'AWS::Kinesis::Stream' }, B: { Type: 'Custom::Anything' }, C: { Type: 'AWS::IAM::Role' } } })).toEqual([
      'AWS::Kinesis::Stream',
    ]);
  });

  it('generates secret strings with the requested shape', () => {
    const plain = generateSecretString({ PasswordLength: 40, ExcludePunctuation: true });
    expect(plain).toMatch(/^[A-Za-z0-9]{40}$/);
    const templated = JSON.parse(generateSecretString({ SecretStringTemplate: '{"user":"app"}', GenerateStringKey: 'password', ExcludeCharacters: '"@/\\' })) as Record<
      string,
      string
    >;
    expect(templated.user).toBe('app');
    expect(templated.password).toHaveLength(32);
    expect(templated.password).not.toMatch(/["@/\\]/);
  });
});
