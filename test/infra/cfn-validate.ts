// AWS's offline CloudFormation validator (@aws/cloudformation-validate, bundled inside aws-cdk-lib): resource schemas
// and cfn-lint rules, run on synthesized templates. The one place that knows the package's shape.
import { createRequire } from 'node:module';

/** The part of the package's API these tests use (its index.d.ts, version 1.14). */
interface Diagnostic {
  readonly ruleId: string;
  readonly severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
  readonly message: string;
  readonly entity?: { readonly logicalId?: string };
  readonly propertyPath?: string;
}
interface ValidationReport {
  readonly status: 'OK' | 'ANALYSIS_INCOMPLETE' | 'ERROR';
  readonly diagnostics: readonly Diagnostic[];
}
interface ValidateConfig {
  readonly severityLevel: Diagnostic['severity'];
  readonly detailLevel: 'STANDARD' | 'DETAILED';
  readonly pseudoParameterOverrides: { readonly region: string; readonly accountId?: string };
}
type Template = object;
interface Engine {
  validateTemplate(template: Template, config: ValidateConfig): ValidationReport;
  free(): void;
}
interface ValidateModule {
  readonly CompositeEngine: new () => Engine;
  readonly TemplateFile: new (path: string) => Template;
  readonly TemplateContent: new (content: string, name?: string) => Template;
}

// aws-cdk-lib's `exports` map refuses the subpath `aws-cdk-lib/node_modules/@aws/cloudformation-validate`
// (ERR_PACKAGE_PATH_NOT_EXPORTED), so resolve the package the way aws-cdk-lib itself does: from its own directory.
const fromCdkLib = createRequire(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json'));
const validate = fromCdkLib('@aws/cloudformation-validate') as ValidateModule;

/** A report in brief: `OK` when the analysis completed, and every ERROR or FATAL finding on one line. */
export interface Validation {
  readonly status: ValidationReport['status'];
  readonly errors: string[];
}

export interface Validator {
  /** Validates a template file as deployed to `region`. */
  file(path: string, region: string): Validation;
  /** Validates template text held in memory. */
  text(text: string, region: string): Validation;
  /** Releases the engine's WebAssembly memory. */
  free(): void;
}

/** One engine for many templates: building one compiles every rule (seconds), validating is fast. */
export function createValidator(): Validator {
  const engine = new validate.CompositeEngine();
  const run = (template: Template, region: string): Validation => {
    const report = engine.validateTemplate(template, {
      severityLevel: 'ERROR', // ERROR and FATAL: what CloudFormation would refuse
      detailLevel: 'STANDARD',
      pseudoParameterOverrides: { region, accountId: '111122223333' },
    });
    const errors = report.diagnostics.map(
      (d) => `${d.severity} ${d.ruleId} ${d.entity?.logicalId ?? '-'} ${d.propertyPath ?? '-'}: ${d.message}`,
    );
    return { status: report.status, errors };
  };
  return {
    file: (path, region) => run(new validate.TemplateFile(path), region),
    text: (text, region) => run(new validate.TemplateContent(text, 'inline.json'), region),
    free: () => {
      engine.free();
    },
  };
}
