import { loadConfig } from './config/config.ts';
import { describeAccess, startServer } from './server.ts';

const server = await startServer(loadConfig());
console.log(await describeAccess(server));
const shutdown = (signal: string) => {
  server.app.log.info(`${signal}: shutting down`);
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
