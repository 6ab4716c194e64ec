/** What the jobs engine logs through; a pino logger fits. */
export interface JobLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
  error(data: Record<string, unknown>, message: string): void;
}

export const silentLogger: JobLogger = { info() {}, warn() {}, error() {} };

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
