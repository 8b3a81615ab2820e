import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the official OCF 1.2.0 schemas and samples are kept, unmodified: `ocf/` at the root of
 * the repository (and of the image), found from here whether this runs from `src/` or `dist/`.
 */
export function ocfRoot(from = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'ocf', 'schema'))) return join(folder, 'ocf');
    if (dirname(folder) === folder) throw new Error('the OCF schemas (ocf/schema) are missing');
  }
}

const OCF_ID = 'https://schema.opencaptablecoalition.com/v/1.2.0';

interface SchemaFile {
  $id: string;
  properties?: { object_type?: { const?: string; enum?: string[] } };
}

/** One finding: a JSON pointer into the document and what is wrong there. */
export interface OcfSchemaError {
  pointer: string;
  message: string;
}

function* schemaFiles(folder: string): Generator<string> {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* schemaFiles(path);
    else if (name.endsWith('.schema.json')) yield path;
  }
}

/**
 * The OCF 1.2.0 JSON schemas, every one loaded once (draft-07, with formats), so an object is
 * checked against the official schema of its object type, as the coalition's own validator does.
 */
export class OcfSchemas {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Each object type (its `object_type` const or enum) → the schema path of its object. */
  private readonly objectTypes = new Map<string, string>();

  constructor(root = join(ocfRoot(), 'schema')) {
    this.ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(this.ajv);
    for (const file of schemaFiles(root)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as SchemaFile;
      this.ajv.addSchema(schema);
      const path = schema.$id.slice(OCF_ID.length + 1, -'.schema.json'.length);
      const type = schema.properties?.object_type;
      if (!path.startsWith('objects/') || !type) continue;
      for (const name of type.const !== undefined ? [type.const] : (type.enum ?? []))
        this.objectTypes.set(name, path);
    }
  }

  /** The schema path of an object type (`TX_STOCK_ISSUANCE` → objects/…/StockIssuance); none: unknown. */
  schemaOf(objectType: string): string | undefined {
    return this.objectTypes.get(objectType);
  }

  /**
   * The errors of one OCF object against the official schema of its `object_type`, as the
   * coalition's own validator checks them (the files' `oneOf` lists are incomplete in 1.2.0).
   */
  validateObject(value: unknown): OcfSchemaError[] {
    const type = (value as { object_type?: unknown } | null)?.object_type;
    const path = typeof type === 'string' ? this.schemaOf(type) : undefined;
    if (!path)
      return [{ pointer: '/object_type', message: `unknown object_type ${JSON.stringify(type)}` }];
    return this.validate(path, value);
  }

  /** The errors of `value` against the schema at `path` (e.g. `objects/VestingTerms`); none: valid. */
  validate(path: string, value: unknown): OcfSchemaError[] {
    let validate = this.compiled.get(path);
    if (!validate) {
      const found = this.ajv.getSchema(`${OCF_ID}/${path}.schema.json`);
      if (!found) throw new Error(`no OCF schema ${path}`);
      validate = found;
      this.compiled.set(path, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(toError);
  }
}

function toError(error: ErrorObject): OcfSchemaError {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
      : '';
  return { pointer: error.instancePath || '/', message: `${error.message ?? 'is invalid'}${extra}` };
}
