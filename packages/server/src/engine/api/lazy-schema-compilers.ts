import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
// The compilers' own types differ by overload; here a factory is what Fastify calls it with.
type Factory<Compiled> = (externalSchemas: unknown, options: unknown) => (route: unknown) => Compiled;

interface Validator {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}

/**
 * Fastify's own compilers (Ajv for input, fast-json-stringify for output), run on each route's first
 * request instead of at start: compiling every route's schemas was the largest part of a start. A
 * first request of a route pays its compile (a millisecond or two); a broken schema fails there.
 */
export const createLazySchemaCompilers = (): CompilersFactory => {
  const buildValidators = AjvCompiler() as unknown as Factory<Validator>;
  const buildSerializers = SerializerSelector() as unknown as Factory<(data: unknown) => string>;
  const buildValidator: Factory<Validator> = (externalSchemas, options) => {
    const compile = buildValidators(externalSchemas, options);
    return (route) => {
      let validate: Validator | undefined;
      // Fastify passes the parent object to validators that have a schemaEnv (Ajv's), which lets Ajv
      // coerce a root value: the stand-in says it has one, and hands everything through.
      const lazy: Validator = (data, context) => {
        validate ??= compile(route);
        const result = validate(data, context);
        lazy.errors = validate.errors;
        return result;
      };
      lazy.schemaEnv = true;
      lazy.errors = null;
      return lazy;
    };
  };
  const buildSerializer: Factory<(data: unknown) => string> = (externalSchemas, options) => {
    const compile = buildSerializers(externalSchemas, options);
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data) => (serialize ??= compile(route))(data);
    };
  };
  return { buildValidator, buildSerializer } as unknown as CompilersFactory;
};
