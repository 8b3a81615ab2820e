/** The write operations of the app's own OpenAPI document, for tests that call every one of them. */

export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  oneOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];

export interface WriteOperation {
  method: WriteMethod;
  operationId?: string;
  /** The OpenAPI path template, e.g. `/api/shareholders/{id}`. */
  template: string;
  pathParams: string[];
  headerParams: string[];
  /** Media types of the request body; empty when the operation declares none. */
  contentTypes: string[];
  /** The JSON body's schema, references resolved one level (properties stay as declared). */
  bodySchema?: SchemaObject;
}

export const operationName = (op: Pick<WriteOperation, 'method' | 'template'>): string =>
  `${op.method} ${op.template}`;

function resolve(doc: OpenApiDocument, schema: SchemaObject | undefined): SchemaObject | undefined {
  const ref = schema?.$ref;
  if (!ref) return schema;
  const name = ref.replace('#/components/schemas/', '');
  const found = doc.components?.schemas?.[name];
  if (!found) throw new Error(`the OpenAPI document references a missing schema ${ref}`);
  return found;
}

function toOperation(
  doc: OpenApiDocument,
  method: WriteMethod,
  template: string,
  operation: OperationObject,
): WriteOperation {
  const parameters = operation.parameters ?? [];
  const content = operation.requestBody?.content ?? {};
  return {
    method,
    operationId: operation.operationId,
    template,
    pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
    headerParams: parameters.filter((p) => p.in === 'header').map((p) => p.name),
    contentTypes: Object.keys(content),
    bodySchema: resolve(doc, content['application/json']?.schema),
  };
}

/** Every POST, PUT, PATCH and DELETE operation of the document, in document order. */
export function writeOperations(doc: OpenApiDocument): WriteOperation[] {
  return Object.entries(doc.paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .map(([method, operation]) => [method.toUpperCase(), operation] as const)
      .filter((entry): entry is [WriteMethod, OperationObject] =>
        (WRITE_METHODS as readonly string[]).includes(entry[0]),
      )
      .map(([method, operation]) => toOperation(doc, method, template, operation)),
  );
}
