/** Authenticated-read ceiling: the bare app plus an RS256 check per request (jsonwebtoken). */
import { startBaseline } from './baseline-app';

startBaseline(true).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
