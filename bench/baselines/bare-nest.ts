/** Framework ceiling: bare NestJS 11 on Fastify, `GET /hello` answers a small JSON. */
import { startBaseline } from './baseline-app';

startBaseline(false).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
