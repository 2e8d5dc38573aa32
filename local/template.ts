import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a synthesized CloudFormation template the local cloud reads. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

export interface LoadedTemplate {
  stackName: string;
  /** The cloud assembly folder; asset paths in resource metadata are relative to it. */
  cdkOut: string;
  templatePath: string;
  template: CfnTemplate;
}

interface AssemblyManifest {
  artifacts?: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string } }>;
}

/** Finds a stack's template through the cloud assembly manifest, the way the CDK CLI does. */
export const loadTemplate = async (cdkOut: string, stackName: string): Promise<LoadedTemplate> => {
  let templateFile = `${stackName}.template.json`;
  try {
    const manifest = JSON.parse(await readFile(path.join(cdkOut, 'manifest.json'), 'utf8')) as AssemblyManifest;
    const artifacts = manifest.artifacts ?? {};
    const stacks = Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    const match = stacks.find(([id, a]) => id === stackName || a.properties?.stackName === stackName);
    if (!match) {
      throw new Error(`stack ${stackName} is not in ${cdkOut} (stacks: ${stacks.map(([id]) => id).join(', ') || 'none'})`);
    }
    templateFile = match[1].properties?.templateFile ?? templateFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const templatePath = path.join(cdkOut, templateFile);
  const template = JSON.parse(await readFile(templatePath, 'utf8')) as CfnTemplate;
  if (!template.Resources) throw new Error(`${templatePath} has no Resources`);
  return { stackName, cdkOut, templatePath, template };
};

/** `RsvpHandler5F3A2B1C` → `RsvpHandler`: CDK appends an 8-hex hash to logical ids. */
export const shortName = (logicalId: string): string => logicalId.replace(/[0-9A-F]{8}$/, '') || logicalId;

export const dependsOn = (r: CfnResource): string[] => (r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]);

/**
 * A template or request value as text: strings and numbers as they are, absent values as the
 * fallback, anything else as JSON (never "[object Object]" in a name or an error message).
 */
export const text = (value: unknown, fallback = ''): string => {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
};
