import { Command, CommanderError, Option } from 'commander';
import {
  ConfigError,
  DEFAULT_CONFIG,
  parseMaxIdempotencyKeys,
  parseNow,
  parsePort,
  parseSameKeyPolicy,
  parseSelfCheck,
  type ServeConfig,
} from './config.js';
import {
  exposureWarning,
  parseAllowedHosts,
  parseCors,
  parseDuration,
  parseLinkBase,
  parseMaxSessions,
} from './config.js';
import { parseJournalSize, parseLogFormat, parseLogLevel } from './config.js';
import { parseWaldurVersion } from './config.js';
import { createLogger } from './logger.js';
import { knownProfiles, parseApi, parseProfile, parseTarget, runConformance } from './conform.js';
import { startServer } from './main.js';
import { PACKAGE_VERSION } from './version.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function program(): Command {
  const cli = new Command('credits-mock')
    .description(
      'A stateful, decimal-exact mock of the Waldur and Maple credit APIs, and a conformance suite for them.',
    )
    .version(PACKAGE_VERSION)
    .exitOverride()
    .showHelpAfterError();
  cli
    .command('serve')
    .description('Start the mock server.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', String(DEFAULT_CONFIG.port))
    .option('--host <host>', 'address to listen on', DEFAULT_CONFIG.host)
    .option('--fixtures <path>', 'Waldur fixtures file to load', DEFAULT_CONFIG.fixturesPath)
    .option('--maple-fixtures <path>', 'Maple fixtures file to load', DEFAULT_CONFIG.mapleFixturesPath)
    .option('--maple-partial-consume', 'Maple consume takes what is there instead of refusing an insufficient balance')
    .option(
      '--maple-same-key-different-request <policy>',
      'the same Idempotency-Key with another request: conflict (409) or replay',
      'conflict',
    )
    .option('--now <date>', 'start the clock frozen at this date (YYYY-MM-DD)')
    .option('--no-admin', 'turn off the /__admin/ control API')
    .option(
      '--state-dir <dir>',
      'keep the state in this folder: every write is journaled there and restored at the next start (default: memory only)',
    )
    .option(
      '--max-idempotency-keys <n>',
      'stored Maple Idempotency-Keys kept per company; the oldest are forgotten first (default: no bound)',
    )
    .option(
      '--session-ttl <duration>',
      'drop a session (/__session/<name>/) idle this long: 3600, 3600s, 30m, 1h; 0 never',
      '1h',
    )
    .option(
      '--max-sessions <n>',
      'how many sessions may exist at once (one more gets 503)',
      String(DEFAULT_CONFIG.maxSessions),
    )
    .option(
      '--admin-token <token>',
      '/__admin/ needs Authorization: Bearer <token>; required with a non-loopback --host unless --no-admin',
    )
    .option(
      '--allowed-hosts <hosts>',
      'comma-separated Host names served besides localhost, 127.x and [::1] while bound to loopback (DNS-rebinding defence)',
      '',
    )
    .addOption(
      new Option(
        '--self-check <mode>',
        'check every response against the spec: off, warn (log) or strict (500)',
      ).default(process.env.CREDITS_MOCK_SELF_CHECK ?? DEFAULT_CONFIG.selfCheck),
    )
    .option(
      '--cors <mode>',
      'CORS for browser pages on other origins: on (preflights answered, headers readable) or off',
      'on',
    )
    .option(
      '--cors-origin <urls>',
      'allow only these origins, comma-separated (e.g. http://localhost:5173); default: any origin',
    )
    .option(
      '--public-url <url>',
      "write absolute URLs (url fields, Link, Location) with this origin and path prefix, not the request's Host",
    )
    .option(
      '--trust-proxy',
      'take the scheme and host of absolute URLs from X-Forwarded-Proto/-Host/-Port or Forwarded',
    )
    .option(
      '--journal-size <n>',
      'requests the journal keeps for /__admin/requests (0 turns it off)',
      String(DEFAULT_CONFIG.journalSize),
    )
    .option('--log-level <level>', 'silent, error, warn, info (a line per request) or debug', DEFAULT_CONFIG.logLevel)
    .option('--log-format <format>', "pretty or json (pino's lines); default: pretty on a terminal, json otherwise")
    .option(
      '--waldur-version <version>',
      'the Waldur contract to speak: 8.0.5 or 8.1 (per session: /__admin/waldur/settings)',
      DEFAULT_CONFIG.waldurVersion,
    )
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const config: ServeConfig = {
        port: parsePort(String(opts.port)),
        host: String(opts.host),
        fixturesPath: String(opts.fixtures),
        mapleFixturesPath: String(opts.mapleFixtures),
        maple: {
          allowPartialConsume: opts.maplePartialConsume === true,
          sameKeyDifferentRequest: parseSameKeyPolicy(String(opts.mapleSameKeyDifferentRequest)),
        },
        now: opts.now === undefined ? null : parseNow(String(opts.now)),
        admin: opts.admin !== false,
        selfCheck: parseSelfCheck(String(opts.selfCheck)),
        stateDir: typeof opts.stateDir === 'string' ? opts.stateDir : null,
        maxIdempotencyKeys:
          opts.maxIdempotencyKeys === undefined ? null : parseMaxIdempotencyKeys(String(opts.maxIdempotencyKeys)),
        sessionTtlMs: parseDuration(String(opts.sessionTtl)),
        maxSessions: parseMaxSessions(String(opts.maxSessions)),
        cors: parseCors(String(opts.cors), typeof opts.corsOrigin === 'string' ? opts.corsOrigin : undefined),
        ...parseLinkBase(typeof opts.publicUrl === 'string' ? opts.publicUrl : undefined, opts.trustProxy === true),
        allowedHosts: parseAllowedHosts(String(opts.allowedHosts ?? '')),
        adminToken: typeof opts.adminToken === 'string' && opts.adminToken !== '' ? opts.adminToken : null,
        journalSize: parseJournalSize(String(opts.journalSize)),
        logLevel: parseLogLevel(String(opts.logLevel)),
        logFormat:
          opts.logFormat === undefined
            ? process.stdout.isTTY
              ? 'pretty'
              : 'json'
            : parseLogFormat(String(opts.logFormat)),
        waldurVersion: parseWaldurVersion(String(opts.waldurVersion)),
      };
      const logger = createLogger({ level: config.logLevel, format: config.logFormat });
      const warning = exposureWarning(config);
      if (warning) logger.log('warn', warning);
      const server = await startServer(config, (line, level = 'error') => logger.log(level, line), logger);
      logger.banner(
        `credits-mock listening on ${server.url} (fixtures: ${config.fixturesPath}, ${config.mapleFixturesPath}${config.admin ? '; admin API at /__admin/' : ''})`,
      );
      const stop = () =>
        void server.close().then(() => {
          logger.flush();
          process.exit(0);
        });
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  cli
    .command('conform')
    .description(
      'Run the conformance suite against a server (the mock, a real Waldur or Maple, anything that claims the contract).',
    )
    .requiredOption('--target <url>', 'base URL of the server to check')
    .option('--api <api>', 'which API: waldur or maple', 'waldur')
    .option('--token <token>', "the main token (Waldur: a staff user's; Maple: the company's API key)", '')
    .option(
      '--config <file>',
      'JSON file naming what the suite cannot create: customers, projects, tokens per role, profile',
    )
    .option('--profile <name>', `known-deviation profile: ${knownProfiles().join(', ')}`)
    .option('--read-only', 'run only the checks that change nothing')
    .option('--report <dir>', 'write report-<api>.json and junit-<api>.xml there')
    .option('--bail', 'stop at the first failing check')
    .option('--no-session', 'do not run in a session of its own, even when the target offers sessions')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const code = await runConformance({
        target: parseTarget(String(opts.target)),
        api: parseApi(String(opts.api)),
        token: String(opts.token ?? ''),
        config: typeof opts.config === 'string' ? opts.config : null,
        profile: typeof opts.profile === 'string' ? parseProfile(opts.profile) : null,
        readOnly: opts.readOnly === true,
        reportDir: typeof opts.report === 'string' ? opts.report : null,
        bail: opts.bail === true,
        session: opts.session !== false,
      });
      process.exitCode = code;
    });
  return cli;
}

/** Runs the command line; resolves to the exit code (undefined while a server keeps running). */
export async function run(argv: string[]): Promise<number | undefined> {
  try {
    await program().parseAsync(argv);
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      log(`credits-mock: ${err.message}`);
      return err.exitCode;
    }
    throw err;
  }
}
