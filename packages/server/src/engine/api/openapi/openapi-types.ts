/** A JSON Schema (2020-12, the OpenAPI 3.1 dialect) as a plain object. */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  description?: string;
  required?: boolean;
  schema?: JsonSchema;
  content?: Record<string, { schema: JsonSchema }>;
  style?: 'form' | 'simple';
  explode?: boolean;
  example?: unknown;
}

export type Ref = { $ref: string };

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, Ref | JsonSchema>;
  content?: Record<string, { schema: JsonSchema; example?: unknown }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: (OpenApiParameter | Ref)[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, OpenApiResponse | Ref>;
  /** `[]` for public routes; absent means the document's global bearer requirement. */
  security?: Record<string, string[]>[];
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { parameters?: (OpenApiParameter | Ref)[] };

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description?: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    securitySchemes: Record<string, JsonSchema>;
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, OpenApiParameter>;
    responses: Record<string, OpenApiResponse>;
    headers: Record<string, JsonSchema>;
  };
}

export const schemaRef = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });
export const parameterRef = (name: string): Ref => ({ $ref: `#/components/parameters/${name}` });
export const responseRef = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
export const headerRef = (name: string): Ref => ({ $ref: `#/components/headers/${name}` });
