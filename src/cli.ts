import { Command, CommanderError, Option } from 'commander';
import { ConfigError, DEFAULT_CONFIG, parseNow, parsePort, parseSameKeyPolicy, parseSelfCheck, type ServeConfig } from './config.js';
import { parseJournalSize, parseLogFormat, parseLogLevel } from './config.js';
import { createLogger } from './logger.js';
import { parseApi, parseTarget, runConformance } from './conform.js';
import { startServer } from './main.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

function program(): Command {
  const cli = new Command('credits-mock')
    .description('A stateful, decimal-exact mock of the Waldur and Maple credit APIs, and a conformance suite for them.')
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
    .option('--maple-same-key-different-request <policy>', 'the same Idempotency-Key with another request: conflict (409) or replay', 'conflict')
    .option('--now <date>', 'start the clock frozen at this date (YYYY-MM-DD)')
    .option('--no-admin', 'turn off the /__admin/ control API')
    .addOption(
      new Option('--self-check <mode>', 'check every response against the spec: off, warn (log) or strict (500)')
        .default(process.env.CREDITS_MOCK_SELF_CHECK ?? DEFAULT_CONFIG.selfCheck),
    )
    .option('--journal-size <n>', 'requests the journal keeps for /__admin/requests (0 turns it off)', String(DEFAULT_CONFIG.journalSize))
    .option('--log-level <level>', 'silent, error, warn, info (a line per request) or debug', DEFAULT_CONFIG.logLevel)
    .option('--log-format <format>', 'pretty or json (pino\'s lines); default: pretty on a terminal, json otherwise')
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
        journalSize: parseJournalSize(String(opts.journalSize)),
        logLevel: parseLogLevel(String(opts.logLevel)),
        logFormat: opts.logFormat === undefined ? (process.stdout.isTTY ? 'pretty' : 'json') : parseLogFormat(String(opts.logFormat)),
      };
      const logger = createLogger({ level: config.logLevel, format: config.logFormat });
      const server = await startServer(config, (line, level = 'error') => logger.log(level, line), logger);
      logger.banner(`credits-mock listening on ${server.url} (fixtures: ${config.fixturesPath}, ${config.mapleFixturesPath}${config.admin ? '; admin API at /__admin/' : ''})`);
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
    .description('Run the conformance suite against a server (the mock, a real Waldur or Maple, anything that claims the contract).')
    .requiredOption('--target <url>', 'base URL of the server to check')
    .option('--api <api>', 'which API: waldur or maple', 'waldur')
    .option('--token <token>', 'the main token (Waldur: a staff user\'s; Maple: the company\'s API key)', '')
    .option('--config <file>', 'JSON file naming what the suite cannot create: customers, projects, tokens per role, profile')
    .option('--profile <name>', 'known-deviation profile: default, mock, waldur-8.0.5')
    .option('--read-only', 'run only the checks that change nothing')
    .option('--report <dir>', 'write report.json and junit.xml there')
    .option('--bail', 'stop at the first failing check')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const code = await runConformance({
        target: parseTarget(String(opts.target)),
        api: parseApi(String(opts.api)),
        token: String(opts.token ?? ''),
        config: typeof opts.config === 'string' ? opts.config : null,
        profile: typeof opts.profile === 'string' ? opts.profile : null,
        readOnly: opts.readOnly === true,
        reportDir: typeof opts.report === 'string' ? opts.report : null,
        bail: opts.bail === true,
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
