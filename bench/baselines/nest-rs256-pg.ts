/**
 * For information: the authenticated-read ceiling plus one primary-key read of an issuance with a
 * plain `pg` pool, i.e. what one database round trip costs on this machine.
 */
import { startBaseline } from './baseline-app';

startBaseline(true, true).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
