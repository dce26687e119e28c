import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { ALL_QUEUES } from '../../src/contracts/queues';

const KEY = randomBytes(32).toString('base64');
const JWT = 's'.repeat(40);

function configError(env: NodeJS.ProcessEnv): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ConfigError for ${JSON.stringify(env)}`).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

describe('loadConfig defaults', () => {
  const config = loadConfig({});

  it('uses the documented ports and namespace', () => {
    expect(config.PORT).toBe(3000);
    expect(config.TEMPORAL_PORT).toBe(7233);
    expect(config.TEMPORAL_UI_PORT).toBe(8233);
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.NODE_ENV).toBe('development');
  });

  it('serves all three queues and starts its own Temporal and PostgreSQL', () => {
    expect(config.queues).toEqual(['critical', 'default', 'heavy']);
    expect([...config.queues].sort()).toEqual([...ALL_QUEUES].sort());
    expect(config.startTemporal).toBe(true);
    expect(config.startPostgres).toBe(true);
    expect(config.temporalAddress).toBe('127.0.0.1:7233');
  });

  it('resolves the data dir to an absolute path', () => {
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('.wellflow'));
    expect(loadConfig({ WELLFLOW_DATA_DIR: 'some/dir' }).dataDir).toBe(path.resolve('some/dir'));
  });

  it('allows the Temporal UI origins on localhost and 127.0.0.1', () => {
    expect(config.uiOrigins).toEqual(['http://localhost:8233', 'http://127.0.0.1:8233']);
    expect(loadConfig({ TEMPORAL_UI_PORT: '9000' }).uiOrigins).toEqual([
      'http://localhost:9000',
      'http://127.0.0.1:9000',
    ]);
    expect(loadConfig({ WELLFLOW_UI_ORIGIN: 'https://a.example, https://b.example,' }).uiOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('does not expose WELLFLOW_QUEUES, only queues', () => {
    expect(config).not.toHaveProperty('WELLFLOW_QUEUES');
  });
});

describe('loadConfig with values', () => {
  it('uses an external Temporal when TEMPORAL_ADDRESS is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_PORT: '9999' });
    expect(config.startTemporal).toBe(false);
    expect(config.temporalAddress).toBe('temporal.internal:7233');
  });

  it('uses an external PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/wellflow' });
    expect(config.startPostgres).toBe(false);
    expect(config.DATABASE_URL).toBe('postgresql://u:p@db:5432/wellflow');
  });

  it('coerces numbers and parses the queue list', () => {
    const config = loadConfig({ PORT: '8080', CRISIS_TIME_SCALE: '60', WELLFLOW_QUEUES: ' heavy , critical ' });
    expect(config.PORT).toBe(8080);
    expect(config.CRISIS_TIME_SCALE).toBe(60);
    expect(config.queues).toEqual(['heavy', 'critical']);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({
      PORT: '',
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
      JWT_SECRET: '',
      WELLFLOW_ENCRYPTION_KEY: '',
      WELLFLOW_QUEUES: '',
      CRISIS_TIME_SCALE: '',
    });
    expect(config.PORT).toBe(3000);
    expect(config.startTemporal).toBe(true);
    expect(config.startPostgres).toBe(true);
    expect(config.JWT_SECRET).toBeUndefined();
    expect(config.WELLFLOW_ENCRYPTION_KEY).toBeUndefined();
    expect(config.queues).toEqual([...ALL_QUEUES]);
    expect(config.CRISIS_TIME_SCALE).toBe(1);
  });

  it('ignores variables it does not declare', () => {
    expect(loadConfig({ SOMETHING_ELSE: 'x' })).not.toHaveProperty('SOMETHING_ELSE');
  });
});

describe('loadConfig errors', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['PORT', '30.5'],
    ['TEMPORAL_UI_PORT', 'x'],
    ['WELLFLOW_QUEUES', 'bogus'],
    ['WELLFLOW_QUEUES', 'default,bogus'],
    ['WELLFLOW_QUEUES', ','],
    ['CRISIS_TIME_SCALE', '-1'],
    ['CRISIS_TIME_SCALE', '0'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['TEMPORAL_ADDRESS', 'temporal:99999'],
    ['TEMPORAL_ADDRESS', 'temporal:0'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
  ])('%s=%j is a ConfigError naming the variable', (name, value) => {
    const err = configError({ [name]: value });
    expect(err.name).toBe('ConfigError');
    expect(err.message).toContain(`Invalid configuration: ${name}`);
  });

  it('echoes the bad value for ordinary variables', () => {
    expect(configError({ PORT: 'abc' }).message).toContain('"abc"');
  });

  it('never echoes secret values', () => {
    const shortSecret = 'hunter2-very-secret';
    const jwtErr = configError({ JWT_SECRET: shortSecret });
    expect(jwtErr.message).toContain('JWT_SECRET');
    expect(jwtErr.message).not.toContain(shortSecret);

    const dbErr = configError({ DATABASE_URL: 'mysql://admin:topsecretpw@db/x' });
    expect(dbErr.message).toContain('DATABASE_URL');
    expect(dbErr.message).not.toContain('topsecretpw');

    const natsErr = configError({ NATS_URL: 'nats://user:natspassword@ not a url' });
    expect(natsErr.message).toContain('NATS_URL');
    expect(natsErr.message).not.toContain('natspassword');

    const badKey = 'c2hvcnQta2V5LW1hdGVyaWFs';
    const keyErr = configError({ WELLFLOW_ENCRYPTION_KEY: badKey });
    expect(keyErr.message).toContain('WELLFLOW_ENCRYPTION_KEY');
    expect(keyErr.message).not.toContain(badKey);
  });

  it('requires JWT_SECRET and WELLFLOW_ENCRYPTION_KEY in production', () => {
    const noJwt = configError({ NODE_ENV: 'production', WELLFLOW_ENCRYPTION_KEY: KEY });
    expect(noJwt.message).toMatch(/JWT_SECRET is required when NODE_ENV=production/);
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: '', WELLFLOW_ENCRYPTION_KEY: KEY }).message).toContain(
      'JWT_SECRET',
    );
    expect(configError({ NODE_ENV: 'production', JWT_SECRET: JWT }).message).toContain('WELLFLOW_ENCRYPTION_KEY');

    const ok = loadConfig({ NODE_ENV: 'production', JWT_SECRET: JWT, WELLFLOW_ENCRYPTION_KEY: KEY });
    expect(ok.NODE_ENV).toBe('production');
    expect(ok.JWT_SECRET).toBe(JWT);
  });
});

describe('crisis alert email settings', () => {
  const SMTP = 'smtp://127.0.0.1:2525';

  it('are off by default, with the documented sender', () => {
    const config = loadConfig({});
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.CRISIS_EMAIL_TO).toBeUndefined();
    expect(config.SMTP_FROM).toBe('Wellflow crisis alerts <crisis-alerts@localhost>');
  });

  it('parse the recipients into a list and accept smtp:// and smtps:// URLs', () => {
    const config = loadConfig({ SMTP_URL: SMTP, CRISIS_EMAIL_TO: ' oncall@example.org, lead@example.org ,' });
    expect(config.CRISIS_EMAIL_TO).toEqual(['oncall@example.org', 'lead@example.org']);
    const tls = loadConfig({
      SMTP_URL: 'smtps://user:pass@mail.example.org:465',
      CRISIS_EMAIL_TO: 'oncall@example.org',
      SMTP_FROM: '"Crisis desk, EU" <crisis@example.org>',
    });
    expect(tls.SMTP_URL).toBe('smtps://user:pass@mail.example.org:465');
    expect(tls.SMTP_FROM).toBe('"Crisis desk, EU" <crisis@example.org>');
    expect(loadConfig({ SMTP_URL: SMTP, CRISIS_EMAIL_TO: 'a@b.org', SMTP_FROM: 'alerts@b.org' }).SMTP_FROM).toBe(
      'alerts@b.org',
    );
  });

  it('treat empty values as unset', () => {
    const config = loadConfig({ SMTP_URL: '', CRISIS_EMAIL_TO: '', SMTP_FROM: '' });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.CRISIS_EMAIL_TO).toBeUndefined();
    expect(config.SMTP_FROM).toBe('Wellflow crisis alerts <crisis-alerts@localhost>');
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.org', 'must be an smtp:// or smtps:// URL'],
    ['SMTP_URL', 'mail.example.org:25', 'must be'],
    ['SMTP_URL', 'not a url', 'must be a URL'],
    ['SMTP_URL', 'smtp://', 'must name a host'],
    ['CRISIS_EMAIL_TO', 'oncall@example.org, not-an-address', '"not-an-address" is not one'],
    ['CRISIS_EMAIL_TO', 'Ops <ops@example.org>', 'must be comma-separated email addresses'],
    ['CRISIS_EMAIL_TO', 'a@b.org\r\nBcc: x@evil.example', 'must be comma-separated email addresses'],
    ['CRISIS_EMAIL_TO', ' , ', 'must be comma-separated email addresses'],
    ['SMTP_FROM', 'Wellflow <not an address>', 'must be an email address or "Name <address>"'],
    ['SMTP_FROM', 'alerts@', 'must be an email address'],
  ])('%s=%j is one line naming the variable', (name, value, why) => {
    const env = { SMTP_URL: SMTP, CRISIS_EMAIL_TO: 'oncall@example.org', [name]: value };
    const err = configError(env);
    expect(err.message).toContain(`Invalid configuration: ${name} `);
    expect(err.message).toContain(why);
    expect(err.message).not.toContain('\n');
  });

  it('need each other: SMTP_URL without CRISIS_EMAIL_TO, or the reverse, is an error', () => {
    expect(configError({ SMTP_URL: SMTP }).message).toBe(
      'Invalid configuration: CRISIS_EMAIL_TO is required with SMTP_URL (the addresses that receive crisis alerts)',
    );
    expect(configError({ CRISIS_EMAIL_TO: 'oncall@example.org' }).message).toBe(
      'Invalid configuration: SMTP_URL is required with CRISIS_EMAIL_TO (the SMTP server that sends crisis alerts)',
    );
  });

  it('never echo SMTP_URL, which may hold a password', () => {
    const err = configError({ SMTP_URL: 'http://user:smtp-password-123@mail.example.org', CRISIS_EMAIL_TO: 'a@b.org' });
    expect(err.message).toContain('SMTP_URL');
    expect(err.message).not.toContain('smtp-password-123');
  });
});

describe('crisis case retention (RETENTION_CRISIS_CASE_DAYS)', () => {
  it('defaults to 8 years of days, the documented clinical record period', () => {
    expect(loadConfig({}).RETENTION_CRISIS_CASE_DAYS).toBe(2922);
    expect(loadConfig({ RETENTION_CRISIS_CASE_DAYS: '3650' }).RETENTION_CRISIS_CASE_DAYS).toBe(3650);
  });

  it.each(['8', '364', '0', '-1', '2922.5', 'eight years', '36501'])(
    'refuses %j at start (a period in years typed as days, or not a whole number of days)',
    (value) => {
      const err = configError({ RETENTION_CRISIS_CASE_DAYS: value });
      expect(err.message).toContain('Invalid configuration: RETENTION_CRISIS_CASE_DAYS');
    },
  );
});

describe('the user.deleted subject (NATS_USER_DELETED_SUBJECT)', () => {
  it('defaults to wellflow.user.deleted and takes another subject of the WELLFLOW stream', () => {
    expect(loadConfig({}).NATS_USER_DELETED_SUBJECT).toBe('wellflow.user.deleted');
    const config = loadConfig({ NATS_USER_DELETED_SUBJECT: 'wellflow.accounts.user-deleted' });
    expect(config.NATS_USER_DELETED_SUBJECT).toBe('wellflow.accounts.user-deleted');
  });

  it.each([
    'accounts.user.deleted',
    'wellflow',
    'wellflow.>',
    'wellflow.*.deleted',
    'wellflow..deleted',
    'wellflow.a b',
  ])('refuses %j (outside the stream, a wildcard, or not a subject)', (value) => {
    const err = configError({ NATS_USER_DELETED_SUBJECT: value });
    expect(err.message).toContain('Invalid configuration: NATS_USER_DELETED_SUBJECT');
  });
});

describe('the heap growing factor (WELLFLOW_HEAP_GROWING_PERCENT)', () => {
  it('defaults to 100 (a factor of 2) and takes 0 (V8 decides) or another percentage', () => {
    expect(loadConfig({}).WELLFLOW_HEAP_GROWING_PERCENT).toBe(100);
    expect(loadConfig({ WELLFLOW_HEAP_GROWING_PERCENT: '0' }).WELLFLOW_HEAP_GROWING_PERCENT).toBe(0);
    expect(loadConfig({ WELLFLOW_HEAP_GROWING_PERCENT: '50' }).WELLFLOW_HEAP_GROWING_PERCENT).toBe(50);
  });

  it.each(['-1', '5', '1001', '1.5', 'lots'])('refuses %j', (value) => {
    const err = configError({ WELLFLOW_HEAP_GROWING_PERCENT: value });
    expect(err.message).toContain('Invalid configuration: WELLFLOW_HEAP_GROWING_PERCENT');
  });
});
