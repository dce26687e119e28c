import { createOutboxPublisher } from '../adapters/events/outbox';
import type { EventPublisher } from '../adapters/events/publisher';
import { createImageStore, type ImageStore } from '../adapters/images/store';
import { createKServeClient } from '../adapters/inference';
import { createNotifierFromConfig, type Notifier } from '../adapters/notify';
import { createReminderChannels, type ReminderChannel } from '../adapters/notify/reminders';
import { createPersonCipher } from '../crypto/person-cipher';
import { createJournalDataKeyRepository } from '../db/repositories/journal-data-keys';
import { loadCrisisPolicy } from '../crisis-policy';
import { createCrisisRepository } from '../db/repositories/crisis';
import { createJournalRepository } from '../db/repositories/journal';
import type { Secrets } from '../secrets';
import { createCrisisActivities } from './crisis';
import type { CrisisScreener } from '../domain/crisis/screen-entry';
import { createInsightRepository } from '../db/repositories/insights';
import { createInsightActivities } from './insights';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createMealRepository } from '../db/repositories/meals';
import { createProfileRepository } from '../db/repositories/profiles';
import type { Logger } from '../logger';
import { createMealActivities } from './meals';
import { createMealCorrectionActivities } from './meal-correction';
import { createMealCorrectionRepository } from '../db/repositories/meal-corrections';
import { HealthChecker } from '../observability/health-checks';
import { caseOpener } from '../temporal/case-client';
import { createMaintenanceActivities } from './maintenance';
import { createTaskActivities } from './tasks';
import { createTaskRepository } from '../db/repositories/tasks';
import { createTaskExecutionRepository } from '../db/repositories/tasks-executions';
import { createAccountExportActivities } from './account-export';
import { createAccountExportRepository, exportsDirOf } from '../db/repositories/account-exports';
import { createAccountExportReads } from '../db/repositories/account-export-reads';
import { createAccountErasureActivities } from './account-erasure';
import { createAccountErasureRepository } from '../db/repositories/account-erasures';
import { createModelRetrainingActivities } from './model-retraining-wiring';

export interface ActivityDeps {
  config: Config;
  database: Database;
  logger: Logger;
  /** Lets the close step read its own run's history (the true attempt count of every step). */
  temporal: Client;
  secrets: Secrets;
  images?: ImageStore;
  events?: EventPublisher;
  notifier?: Notifier;
  /** Routine reminders' device channels; default: from REMINDER_WEBHOOK_URL and NATS_URL. */
  reminders?: ReminderChannel;
  /** Journal screening: `workerScreener` (src/adapters/crisis-screener.ts) chooses it for the process. */
  screener: CrisisScreener;
}

/** Every activity the workers register, built from its dependencies (no module-level I/O state). */
export function createActivities(deps: ActivityDeps) {
  const { config, database, logger } = deps;
  const images = deps.images ?? createImageStore(config.dataDir);
  // Domain events are queued in the outbox; the worker's outbox relay delivers them (docs/events.md).
  const events = deps.events ?? createOutboxPublisher(database);
  // One staff notifier for crisis alerts and erasure notices (one set of channel connections).
  const notifier = deps.notifier ?? staffNotifier(config, logger);
  // One journal cipher for every activity (one key cache): the erasure's key destruction evicts from it.
  const journalCipher = createPersonCipher({
    ring: deps.secrets.encryptionKeys,
    store: createJournalDataKeyRepository(database.db),
  });
  const retraining = createModelRetrainingActivities({ config, database, images, logger });
  return {
    ...retraining.activities,
    ...createMealActivities({
      meals: createMealRepository(database.db),
      profiles: createProfileRepository(database.db),
      images,
      inference: config.INFERENCE_URL
        ? createKServeClient({
            baseUrl: config.INFERENCE_URL,
            model: config.INFERENCE_MODEL,
            timeoutMs: config.INFERENCE_TIMEOUT_MS,
          })
        : undefined,
      recognizer: retraining.recognizer,
      events,
      logger,
    }),
    ...createMealCorrectionActivities({
      corrections: createMealCorrectionRepository(database.db),
      meals: createMealRepository(database.db),
      profiles: createProfileRepository(database.db),
      logger,
    }),
    ...createInsightActivities({
      insights: createInsightRepository(database.db),
      profiles: createProfileRepository(database.db),
      logger,
      events,
    }),
    ...createMaintenanceActivities({
      config,
      database,
      images,
      temporal: deps.temporal,
      events,
      health: new HealthChecker({ config, database, temporal: deps.temporal }),
      logger,
    }),
    ...createTaskActivities({
      tasks: createTaskRepository(database.db),
      executions: createTaskExecutionRepository(database.db),
      logger,
      snoozeSeconds: config.TASK_SNOOZE_SECONDS,
      events,
      reminders:
        deps.reminders ??
        createReminderChannels({
          webhookUrl: config.REMINDER_WEBHOOK_URL,
          webhookSecret: config.REMINDER_WEBHOOK_SECRET,
          natsUrl: config.NATS_URL,
          logger,
        }),
      publicUrl: config.publicUrl,
    }),
    ...createCrisisActivities({
      journal: createJournalRepository(database.db),
      crisis: createCrisisRepository(database.db),
      cipher: journalCipher,
      screener: deps.screener,
      notifier,
      openCase: caseOpener(deps.temporal),
      logger,
      policy: loadCrisisPolicy(config.CRISIS_POLICY_FILE),
      timeScale: config.CRISIS_TIME_SCALE,
      publicUrl: config.publicUrl,
      events,
    }),
    ...createAccountExportActivities({
      exports: createAccountExportRepository(database.db, exportsDirOf(config.dataDir)),
      reads: createAccountExportReads(database.db),
      images,
      cipher: journalCipher,
      logger,
    }),
    ...createAccountErasureActivities({
      erasures: createAccountErasureRepository(database.db),
      exports: createAccountExportRepository(database.db, exportsDirOf(config.dataDir)),
      crisis: createCrisisRepository(database.db),
      images,
      notifier,
      events,
      temporal: deps.temporal,
      policy: loadCrisisPolicy(config.CRISIS_POLICY_FILE),
      publicUrl: config.publicUrl,
      logger,
      journalCipher,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The staff notifier fan-out the configuration describes (crisis alerts and erasure notices share it). */
function staffNotifier(config: Config, logger: Logger): Notifier {
  return createNotifierFromConfig({
    webhookUrl: config.CRISIS_WEBHOOK_URL,
    webhookSecret: config.CRISIS_WEBHOOK_SECRET,
    natsUrl: config.NATS_URL,
    smtpUrl: config.SMTP_URL,
    emailTo: config.CRISIS_EMAIL_TO,
    smtpFrom: config.SMTP_FROM,
    logger,
  });
}
