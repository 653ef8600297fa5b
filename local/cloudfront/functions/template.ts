// Reads the CloudFront Functions out of a synthesized CloudFormation template, the one source of truth for what is
// deployed: each AWS::CloudFront::Function's Name, FunctionCode and FunctionConfig.Runtime (CloudFormation User
// Guide, "AWS::CloudFront::Function"). The template is our own build output; problems are reported all at once.
import { ConfigError } from '../../../common/errors.ts';
import { isRecord } from './fields.ts';
import type { FunctionSource } from './source.ts';

export interface TemplateFunction extends FunctionSource {
  readonly logicalId: string;
}

function readOne(logicalId: string, properties: unknown, problems: string[]): TemplateFunction | undefined {
  const props = isRecord(properties) ? properties : {};
  const config = isRecord(props['FunctionConfig']) ? props['FunctionConfig'] : {};
  const { FunctionCode: code, Name: name } = props;
  const runtime = config['Runtime'];
  // Code built from intrinsics (Fn::Join, Fn::Sub) is only known at deploy time: it cannot be run locally.
  if (typeof code !== 'string') problems.push(`${logicalId}: FunctionCode must be a literal string`);
  if (typeof runtime !== 'string') problems.push(`${logicalId}: FunctionConfig.Runtime must be a literal string`);
  if (typeof code !== 'string' || typeof runtime !== 'string') return undefined;
  return { logicalId, name: typeof name === 'string' ? name : logicalId, code, runtime };
}

/** Every AWS::CloudFront::Function in the template, in template order; throws ConfigError listing every problem. */
export function readTemplateFunctions(template: unknown): readonly TemplateFunction[] {
  const resources = isRecord(template) && isRecord(template['Resources']) ? template['Resources'] : {};
  const problems: string[] = [];
  const functions = Object.entries(resources).flatMap(([logicalId, resource]) => {
    if (!isRecord(resource) || resource['Type'] !== 'AWS::CloudFront::Function') return [];
    const one = readOne(logicalId, resource['Properties'], problems);
    return one === undefined ? [] : [one];
  });
  if (problems.length > 0) throw new ConfigError(problems, 'CloudFront Functions in the template');
  return functions;
}
