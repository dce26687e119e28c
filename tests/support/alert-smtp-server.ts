import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

/** The addresses the email tests send crisis alerts to and from. */
export const TO = ['oncall@wellflow.test', 'clinical-lead@wellflow.test'];
export const FROM = 'Wellflow test alerts <alerts@wellflow.test>';

export interface Received {
  raw: string;
  mail: ParsedMail;
  /** The envelope recipients the server accepted. */
  rcptTo: string[];
  mailFrom: string;
  user: unknown;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * A real SMTP server on 127.0.0.1 that records every accepted message. Faults are planned ahead and consumed in
 * order: `refuseConnections` greets the next N connections with 421 (and closes them), `deferSessions` answers
 * every RCPT of the next N sessions with 451, `deferData` answers the next N message bodies with 451, and
 * `rejectRcpt(address)` decides a permanent 550 per recipient.
 */
export async function startSmtp(opts: { auth?: { user: string; pass: string } } = {}) {
  const received: Received[] = [];
  const plan = {
    refuseConnections: 0,
    deferSessions: 0,
    deferData: 0,
    rejectRcpt: (_address: string) => false,
  };
  const deferred = new Set<string>();
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    // No STARTTLS: the built-in certificate is self-signed, and the relay is local.
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return cb(null, { user: auth.username });
      cb(smtpError(535, '5.7.8 Authentication failed'));
    },
    onConnect(session, cb) {
      connections++;
      if (plan.refuseConnections > 0) {
        plan.refuseConnections--;
        return cb(smtpError(421, '4.3.2 Too busy, try again later'));
      }
      if (plan.deferSessions > 0) {
        plan.deferSessions--;
        deferred.add(session.id);
      }
      cb();
    },
    onRcptTo(address, session, cb) {
      if (deferred.has(session.id)) return cb(smtpError(451, '4.3.0 Mailbox temporarily unavailable'));
      if (plan.rejectRcpt(address.address))
        return cb(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected`));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (plan.deferData > 0) {
          plan.deferData--;
          return cb(smtpError(451, '4.3.0 Queue full, try again later'));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (mail) => {
            received.push({
              raw,
              mail,
              rcptTo: session.envelope.rcptTo.map((a) => a.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              user: session.user,
            });
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    plan,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Smtp = Awaited<ReturnType<typeof startSmtp>>;
