// node-postgres's value serialiser (pg/lib/utils.js), used by the PGlite dialect to send parameters
// the way the PostgreSQL engine sends them.
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): unknown };
  export default utils;
}
