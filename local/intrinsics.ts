import type { CfnTemplate } from './template.js';

/** Thrown for anything the resolver cannot turn into a local value; start-up stops on it. */
export class UnsupportedIntrinsicError extends Error {
  constructor(
    readonly intrinsic: string,
    readonly where: string,
    detail?: string,
  ) {
    super(`${where}: cannot resolve ${intrinsic} locally${detail ? ` (${detail})` : ''}`);
    this.name = 'UnsupportedIntrinsicError';
  }
}

/** What `Ref` and `Fn::GetAtt` answer for one resource once it exists locally. */
export interface PhysicalResource {
  ref: string;
  attributes: Record<string, unknown>;
}

export interface ResolveContext {
  template: CfnTemplate;
  region: string;
  accountId: string;
  stackName: string;
  /** Local values of resources, by logical id. A missing entry means "not created (yet)". */
  physical: (logicalId: string) => PhysicalResource | undefined;
}

/** Resolves to nothing: the property is dropped, as CloudFormation does for `AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

export const SUPPORTED_INTRINSICS = [
  'Ref',
  'Fn::GetAtt',
  'Fn::Join',
  'Fn::Sub',
  'Fn::Select',
  'Fn::Split',
  'Fn::If',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
  'Condition',
] as const;

const pseudo = (name: string, ctx: ResolveContext): string | typeof NO_VALUE | undefined => {
  switch (name) {
    case 'AWS::Region':
      return ctx.region;
    case 'AWS::AccountId':
      return ctx.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/local`;
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
};

const asString = (v: unknown, where: string, fn: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new UnsupportedIntrinsicError(fn, where, `expected a string, got ${JSON.stringify(v)}`);
};

const ref = (name: string, ctx: ResolveContext, where: string): unknown => {
  const p = pseudo(name, ctx);
  if (p !== undefined) return p;
  const param = ctx.template.Parameters?.[name];
  if (param) {
    if (param.Default === undefined || param.Type.startsWith('AWS::SSM::')) {
      throw new UnsupportedIntrinsicError(`Ref ${name}`, where, `parameter ${name} (${param.Type}) has no local value`);
    }
    return param.Default;
  }
  const resource = ctx.template.Resources[name];
  if (!resource) throw new UnsupportedIntrinsicError(`Ref ${name}`, where, 'no such resource or parameter');
  const physical = ctx.physical(name);
  if (!physical) throw new UnsupportedIntrinsicError(`Ref ${name}`, where, `${resource.Type} ${name} has no local value yet`);
  return physical.ref;
};

const getAtt = (logicalId: string, attribute: string, ctx: ResolveContext, where: string): unknown => {
  const resource = ctx.template.Resources[logicalId];
  if (!resource) throw new UnsupportedIntrinsicError(`Fn::GetAtt ${logicalId}.${attribute}`, where, 'no such resource');
  const physical = ctx.physical(logicalId);
  if (!physical) {
    throw new UnsupportedIntrinsicError(`Fn::GetAtt ${logicalId}.${attribute}`, where, `${resource.Type} ${logicalId} has no local value yet`);
  }
  if (!(attribute in physical.attributes)) {
    throw new UnsupportedIntrinsicError(
      `Fn::GetAtt ${logicalId}.${attribute}`,
      where,
      `${resource.Type} has no local attribute ${attribute} (known: ${Object.keys(physical.attributes).join(', ') || 'none'})`,
    );
  }
  return physical.attributes[attribute];
};

/** Evaluates a named condition from the template's `Conditions`. */
export const evaluateCondition = (name: string, ctx: ResolveContext, where = `Conditions.${name}`): boolean => {
  const body = ctx.template.Conditions?.[name];
  if (body === undefined) throw new UnsupportedIntrinsicError(`Condition ${name}`, where, 'no such condition');
  const value = resolveValue(body, ctx, where);
  if (typeof value !== 'boolean') throw new UnsupportedIntrinsicError(`Condition ${name}`, where, 'does not evaluate to a boolean');
  return value;
};

const substitute = (text: string, vars: Record<string, unknown>, ctx: ResolveContext, where: string): string =>
  text.replace(/\$\{([^}]*)\}/g, (whole, expr: string) => {
    if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
    if (expr in vars) return asString(vars[expr], where, 'Fn::Sub');
    const dot = expr.indexOf('.');
    if (dot > 0 && !expr.startsWith('AWS::')) return asString(getAtt(expr.slice(0, dot), expr.slice(dot + 1), ctx, where), where, 'Fn::Sub');
    const value = ref(expr, ctx, where);
    if (value === NO_VALUE) throw new UnsupportedIntrinsicError(`Fn::Sub ${whole}`, where);
    return asString(value, where, 'Fn::Sub');
  });

const resolveFunction = (fn: string, arg: unknown, ctx: ResolveContext, where: string): unknown => {
  const w = `${where}.${fn}`;
  switch (fn) {
    case 'Ref':
      return ref(asString(arg, w, fn), ctx, w);
    case 'Fn::GetAtt': {
      const [id, ...attr] = typeof arg === 'string' ? arg.split('.') : (resolveValue(arg, ctx, w) as string[]);
      return getAtt(asString(id, w, fn), attr.join('.'), ctx, w);
    }
    case 'Fn::Join': {
      const [delimiter, list] = arg as [string, unknown];
      const items = resolveValue(list, ctx, w);
      if (!Array.isArray(items)) throw new UnsupportedIntrinsicError(fn, w, 'second argument is not a list');
      return items.map((i) => asString(i, w, fn)).join(delimiter);
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return substitute(arg, {}, ctx, w);
      const [text, vars] = arg as [string, Record<string, unknown>];
      return substitute(text, resolveValue(vars ?? {}, ctx, w) as Record<string, unknown>, ctx, w);
    }
    case 'Fn::Select': {
      const [index, list] = resolveValue(arg, ctx, w) as [unknown, unknown];
      if (!Array.isArray(list)) throw new UnsupportedIntrinsicError(fn, w, 'second argument is not a list');
      const i = Number(index);
      if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new UnsupportedIntrinsicError(fn, w, `index ${String(index)} out of range`);
      return list[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = arg as [string, unknown];
      return asString(resolveValue(source, ctx, w), w, fn).split(delimiter);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = arg as [string, unknown, unknown];
      return resolveValue(evaluateCondition(condition, ctx, w) ? whenTrue : whenFalse, ctx, w);
    }
    case 'Condition':
      return evaluateCondition(asString(arg, w, fn), ctx, w);
    case 'Fn::Equals': {
      const [a, b] = resolveValue(arg, ctx, w) as [unknown, unknown];
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return !(resolveValue((arg as unknown[])[0], ctx, w) as boolean);
    case 'Fn::And':
      return (arg as unknown[]).every((c) => resolveValue(c, ctx, w) === true);
    case 'Fn::Or':
      return (arg as unknown[]).some((c) => resolveValue(c, ctx, w) === true);
    case 'Fn::FindInMap': {
      const [map, top, second] = (resolveValue(arg, ctx, w) as unknown[]).map((v) => asString(v, w, fn));
      const value = ctx.template.Mappings?.[map]?.[top]?.[second];
      if (value === undefined) throw new UnsupportedIntrinsicError(fn, w, `no ${map}.${top}.${second}`);
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolveValue(arg, ctx, w), w, fn)).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((z) => `${ctx.region}${z}`);
    default:
      throw new UnsupportedIntrinsicError(fn, where);
  }
};

const isIntrinsic = (key: string) => key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');

const resolveValue = (value: unknown, ctx: ResolveContext, where: string): unknown => {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveValue(v, ctx, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && isIntrinsic(entries[0][0])) {
    const [fn, arg] = entries[0] as [string, unknown];
    // `Condition` is only an intrinsic inside Conditions; elsewhere it may be a plain key.
    if (fn !== 'Condition' || where.startsWith('Conditions')) return resolveFunction(fn, arg, ctx, where);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const r = resolveValue(v, ctx, `${where}.${k}`);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
};

/**
 * Resolves intrinsic functions against local resources. `where` names the place in the template
 * (e.g. `Resources.RsvpFn.Properties.Environment`) so an error says what stopped start-up.
 */
export const resolve = <T = unknown>(value: unknown, ctx: ResolveContext, where: string): T => {
  const r = resolveValue(value, ctx, where);
  return (r === NO_VALUE ? undefined : r) as T;
};

/** Logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`): the creation order follows them. */
export const references = (value: unknown, out = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) out.add(v);
      else if (k === 'Fn::GetAtt') out.add(typeof v === 'string' ? v.split('.')[0] : String((v as unknown[])[0]));
      else if (k === 'Fn::Sub') {
        const text = typeof v === 'string' ? v : (v as [string])[0];
        for (const m of text.matchAll(/\$\{([^!}][^}.]*)[^}]*\}/g)) if (!m[1].startsWith('AWS::')) out.add(m[1]);
        if (Array.isArray(v)) references(v[1], out);
      } else references(v, out);
    }
  }
  return out;
};
